import { escapeText, foldLine, renderCalendar } from './ical';

describe('the iCalendar writer (RFC 5545)', () => {
  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'调解室'.repeat(40)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('writes local times in Asia/Shanghai and the stamp in UTC', () => {
    const text = renderCalendar(
      '日程',
      [
        {
          uid: 'session-1@x',
          startsAt: new Date('2026-03-05T02:00:00Z'),
          endsAt: new Date('2026-03-05T03:30:00Z'),
          summary: '调解 CSZGH-2026-00001',
          location: null,
          description: null,
          status: 'CONFIRMED',
          lastModified: new Date('2026-03-01T00:00:00Z'),
        },
      ],
      new Date('2026-03-02T01:02:03Z'),
    );
    expect(text).toContain('\r\nDTSTART;TZID=Asia/Shanghai:20260305T100000\r\n');
    expect(text).toContain('\r\nDTEND;TZID=Asia/Shanghai:20260305T113000\r\n');
    expect(text).toContain('\r\nDTSTAMP:20260302T010203Z\r\n');
    expect(text).not.toContain('LOCATION');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
