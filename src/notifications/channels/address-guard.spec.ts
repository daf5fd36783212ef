import {
  assertPublicUrl,
  DestinationRefusedError,
  isNonPublicAddress,
  publicOnlyLookup,
} from './address-guard';

async function refusal(url: string, allowPrivate = false): Promise<string | null> {
  try {
    await assertPublicUrl(url, allowPrivate);
    return null;
  } catch (e) {
    if (e instanceof DestinationRefusedError) return e.reason;
    throw e;
  }
}

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:c0a8:0101::1',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.216.34', '100.128.0.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it('treats something that is not an address as non-public', () => {
    expect(isNonPublicAddress('example.com')).toBe(true);
  });
});

describe('assertPublicUrl', () => {
  it.each([
    'http://127.0.0.1/hook',
    'https://10.0.0.8:8443/hook',
    'http://192.168.0.10/',
    'http://[::1]:3000/',
    'http://[fc00::5]/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.1.1/',
    'http://2130706433/', // 127.0.0.1 written as one number
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses the private destination %s', async (url) => {
    expect(await refusal(url)).toBe('private_address');
  });

  it('refuses a host name that resolves to a private address (every resolved address is checked)', async () => {
    expect(await refusal('http://localhost:8080/hook')).toBe('private_address');
  });

  it('accepts a public IP literal without DNS', async () => {
    expect(await refusal('https://93.184.216.34/hooks/mediation')).toBeNull();
    expect(await refusal('http://[2606:4700::1111]/hook')).toBeNull();
  });

  it.each(['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative'])(
    'refuses %s as not http(s)',
    async (url) => {
      expect(await refusal(url)).toBe('scheme');
    },
  );

  it('refuses credentials in the URL', async () => {
    expect(await refusal('https://user:pass@93.184.216.34/')).toBe('credentials');
  });

  it('allows private destinations only when configured to', async () => {
    expect(await refusal('http://127.0.0.1:9/hook', true)).toBeNull();
    expect(await refusal('ftp://127.0.0.1/', true)).toBe('scheme');
  });
});

describe('publicOnlyLookup (the address connected to is the address checked)', () => {
  const resolve = (host: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; result: unknown }>((done) =>
      publicOnlyLookup(host, { all }, (err, address, family) =>
        done({ err, result: all ? address : { address, family } }),
      ),
    );

  it.each([false, true])(
    'refuses a name resolving to the loopback (all: %s) before any connection',
    async (all) => {
      const { err } = await resolve('localhost', all);
      expect(err).toBeInstanceOf(DestinationRefusedError);
      expect(err?.code).toBe('EPRIVATEADDRESS');
    },
  );

  it('refuses a private address literal', async () => {
    const { err } = await resolve('10.1.2.3', false);
    expect(err).toBeInstanceOf(DestinationRefusedError);
  });

  it('passes a public address through, in either form', async () => {
    expect(await resolve('93.184.216.34', false)).toEqual({
      err: null,
      result: { address: '93.184.216.34', family: 4 },
    });
    expect(await resolve('93.184.216.34', true)).toEqual({
      err: null,
      result: [{ address: '93.184.216.34', family: 4 }],
    });
  });
});
