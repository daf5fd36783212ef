import { pdfContent, pdfText } from '../../../test/support/pdf-text';
import { formatYuan, toChineseCapital } from '../money';
import { PdfWriter, renderPdf } from './pdf-document';

const claims: string[][] = [
  ['1', '拖欠工资（2024年3月至5月）', formatYuan(900000)],
  ['2', '未休年休假工资', formatYuan(250000)],
  ['3', '经济补偿金', formatYuan(100000)],
];

function sample(doc: PdfWriter): void {
  doc
    .title('人民调解协议书')
    .keyValue('编号', '（2024）某劳调字第0012号')
    .keyValue(
      '申请人',
      '王小明，男，汉族，1990年1月1日出生，住广东省深圳市南山区某某街道某某路88号某某花园3栋1201室',
    )
    .keyValue('被申请人', '某某快递有限公司，住所地深圳市福田区某某大道1号')
    .heading('一、纠纷事实')
    .paragraph(
      '申请人于2021年6月入职被申请人处，担任快递员。2024年6月双方解除劳动关系，申请人主张被申请人拖欠工资及其他款项，双方经调解委员会主持调解，自愿达成如下协议。',
    )
    .heading('二、协议内容')
    .table(
      [
        { header: '序号', width: 40 },
        { header: '项目', width: 300 },
        { header: '金额', width: 135, align: 'right' },
      ],
      claims,
    )
    .paragraph(
      `被申请人于2024年7月31日前一次性支付申请人${formatYuan(1250000)}（大写：人民币${toChineseCapital(1250000)}）。`,
    )
    .spacer()
    .signatureBlock(['申请人', '被申请人', '调解员']);
}

describe('renderPdf', () => {
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderPdf(sample, { title: '人民调解协议书' });
  });

  it('produces a small PDF with the CJK font embedded as a subset', () => {
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(pdf.length).toBeLessThan(1024 * 1024);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    expect(raw).toContain('/ToUnicode');
  });

  it('maps the glyphs back to Chinese text', async () => {
    const { pages, info } = await pdfContent(pdf);
    expect(pages).toHaveLength(1);
    // Lines wrap wherever the layout puts them; join them to look for phrases.
    const text = pages[0].replace(/\n/g, '');
    for (const s of [
      '人民调解协议书',
      '王小明',
      '某某快递有限公司',
      '（2024）某劳调字第0012号',
      '¥12,500.00',
      '壹万贰仟伍佰元整',
      '拖欠工资（2024年3月至5月）',
      '¥9,000.00',
      '经济补偿金',
      '调解员：',
      '签名：',
      '日期：',
    ]) {
      expect(text).toContain(s);
    }
    expect(info).toMatchObject({ Title: '人民调解协议书', Language: 'zh-CN' });
  });

  it('repeats the table header when a table runs onto the next page', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [
      `${i + 1}`,
      `第${i + 1}项 工资差额`,
      formatYuan((i + 1) * 10000),
    ]);
    const buf = await renderPdf(
      (doc) =>
        doc.title('支付令申请书').table(
          [
            { header: '序号', width: 60 },
            { header: '请求事项', width: 280 },
            { header: '金额（元）', width: 200, align: 'right' },
          ],
          rows,
        ),
      { title: '支付令申请书' },
    );
    const pages = (await pdfText(buf)).split('\f');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain('请求事项');
    expect(pages[pages.length - 1]).toContain('第60项 工资差额');
    expect(pages[pages.length - 1]).toContain('¥6,000.00');
  });

  it('rejects a row with more cells than columns', async () => {
    await expect(
      renderPdf((doc) => doc.table([{ header: '项目', width: 100 }], [['a', 'b']]), { title: 't' }),
    ).rejects.toThrow(RangeError);
  });
});
