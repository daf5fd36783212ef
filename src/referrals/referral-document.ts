/**
 * The packet as a court clerk expects to receive it: a 支付令申请书 (CPL arts. 225–226: the parties, the request
 * with the amount in figures and in capitals, the facts and reasons, the evidence) addressed to the court, or for
 * a judicial confirmation a 司法确认申请书. Follows agreement-document.ts.
 */
import { chineseDate } from '../agreements/agreement-document';
import { formatYuan, toChineseCapital } from '../common/money';
import type { PdfWriter } from '../common/pdf/pdf-document';
import type { PacketParty, ReferralPacket } from './referral-packet';

const ID_TYPE_LABELS: Record<string, string> = {
  resident_id: '公民身份号码',
  hk_macao_taiwan_permit: '港澳台居民居住证/通行证号码',
  foreign_permanent_resident: '外国人永久居留身份证号码',
  passport: '护照号码',
};

const SOURCE_LABELS: Record<string, string> = {
  ledger: '调解组织登记',
  at_signing: '签订协议时支付',
  court: '法院执行/督促程序中收回',
};

const capital = (fen: number) => `人民币${toChineseCapital(fen)}`;

function applicantLine(p: PacketParty): string {
  return [
    p.name,
    p.idNumber ? `${ID_TYPE_LABELS[p.idType ?? 'resident_id'] ?? '身份证件号码'}：${p.idNumber}` : null,
    p.address ? `住址：${p.address}` : null,
    p.phone ? `联系电话：${p.phone}` : null,
  ]
    .filter(Boolean)
    .join('，');
}

function respondentLine(p: PacketParty): string {
  return [
    p.name,
    p.creditCode
      ? `统一社会信用代码：${p.creditCode}`
      : p.idNumber
        ? `${ID_TYPE_LABELS[p.idType ?? 'resident_id'] ?? '身份证件号码'}：${p.idNumber}`
        : null,
    p.address ? `住所地：${p.address}` : null,
    p.contactName ? `联系人：${p.contactName}${p.contactPhone ? `（${p.contactPhone}）` : ''}` : null,
  ]
    .filter(Boolean)
    .join('，');
}

export function referralDocument(p: ReferralPacket, courtCaseNo: string | null): (w: PdfWriter) => void {
  return (w) => {
    const a = p.agreement;
    const paymentOrder = p.kind === 'payment_order';
    w.title(p.title);
    w.keyValue('申请人', applicantLine(p.applicant));
    w.keyValue('被申请人', respondentLine(p.respondent));
    if (!paymentOrder) w.paragraph('（双方当事人共同申请）');

    w.heading('请求事项');
    if (paymentOrder && p.request) {
      w.paragraph(
        `一、请求人民法院依法向被申请人发出支付令，督促被申请人向申请人支付调解协议约定的已到期未付款项` +
          `${p.request.amountFigures}（大写：${p.request.amountCapital}）；`,
      );
      w.paragraph('二、督促程序费用由被申请人负担。');
    } else {
      w.paragraph(
        `请求人民法院依法确认申请人与被申请人于${chineseDate(a.signedOn)}经${a.committee.name}主持调解达成的调解协议` +
          `（案件编号${a.caseNo}）有效。`,
      );
    }

    w.heading('事实与理由');
    const job = p.employment.position ? `，从事${p.employment.position}工作` : '';
    const left = p.employment.endDate ? `，于${chineseDate(p.employment.endDate)}离职` : '';
    w.paragraph(
      `申请人于${chineseDate(p.employment.startDate)}入职被申请人${job}${left}。双方发生劳动争议，经${a.committee.name}` +
        `主持调解，于${chineseDate(a.signedOn)}达成调解协议（案件编号${a.caseNo}），协议自${chineseDate(a.effectiveOn)}起生效。` +
        `协议约定被申请人向申请人支付下列款项，合计${formatYuan(a.totals.agreedFen)}（大写：${capital(a.totals.agreedFen)}）：`,
    );
    w.table(
      [
        { header: '序号', width: 40 },
        { header: '项目', width: 150 },
        { header: '约定金额', width: 95, align: 'right' },
        { header: '已付', width: 95, align: 'right' },
        { header: '未付', width: 95, align: 'right' },
      ],
      [
        ...a.items.map((x, n) => [
          String(n + 1),
          x.label,
          formatYuan(x.amountFen),
          formatYuan(x.paidFen),
          formatYuan(x.outstandingFen),
        ]),
        [
          '',
          '合计',
          formatYuan(a.totals.agreedFen),
          formatYuan(a.totals.paidFen),
          formatYuan(a.totals.outstandingFen),
        ],
      ],
    );
    if (a.instalments.length) {
      w.paragraph('协议约定的履行期限及履行情况如下：');
      w.table(
        [
          { header: '期次', width: 50 },
          { header: '付款期限（不迟于）', width: 125 },
          { header: '应付金额', width: 95, align: 'right' },
          { header: '已付', width: 95, align: 'right' },
          { header: '状态', width: 110 },
        ],
        a.instalments.map((x) => [
          `第${x.seq}期`,
          chineseDate(x.dueOn),
          formatYuan(x.amountFen),
          formatYuan(x.paidFen),
          x.outstandingFen === 0
            ? '已付清'
            : x.overdue
              ? `逾期未付 ${formatYuan(x.outstandingFen)}`
              : '未到期',
        ]),
      );
    }
    if (a.accelerationOnDefault) {
      w.paragraph('协议约定：被申请人任何一期款项逾期未付的，其余未付款项视为全部到期。');
    }
    // Written as one paragraph rather than a table: a lead line cannot be kept with a table on the next page.
    w.paragraph(
      a.payments.length
        ? `被申请人已支付的款项：${a.payments
            .map(
              (x) =>
                `${chineseDate(x.paidOn)}支付${formatYuan(x.amountFen)}（${SOURCE_LABELS[x.source] ?? x.source}）`,
            )
            .join('；')}，共计${formatYuan(a.totals.paidFen)}。`
        : '被申请人至今未支付任何款项。',
    );
    if (a.otherTerms?.trim()) w.paragraph(`协议其他约定：${a.otherTerms.trim()}`);
    if (paymentOrder && p.nonPerformance) {
      w.paragraph(p.nonPerformance.text);
      w.paragraph(
        '申请人与被申请人之间没有其他债务纠纷，申请人对被申请人不负有对待给付义务，支付令能够送达被申请人。' +
          '依照《中华人民共和国劳动争议调解仲裁法》第十六条“因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成调解协议，' +
          '用人单位在协议约定期限内不履行的，劳动者可以持调解协议书依法向人民法院申请支付令”，以及《中华人民共和国民事诉讼法》' +
          '第二百二十五条的规定，特向贵院申请支付令。',
      );
    } else {
      w.paragraph(
        '双方当事人依照《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条的规定，' +
          '自调解协议生效之日起三十日内共同向贵院申请司法确认。双方确认调解协议系自愿达成，内容不违反法律、行政法规的强制性规定，' +
          '不损害国家利益、社会公共利益和他人合法权益。',
      );
    }

    w.heading('证据和证据来源');
    w.paragraph(`1. 调解协议书（${a.committee.name}，编号${a.caseNo}）一份；`);
    w.paragraph('2. 付款记录及履行情况说明一份；');
    w.paragraph('3. 申请人、被申请人身份证明材料各一份。');

    w.spacer();
    // The customary close: 此致, then the court addressed, on a line of its own.
    w.paragraph('此致');
    w.paragraph(p.court.name);
    if (courtCaseNo) w.keyValue('法院案号', courtCaseNo);
    if (p.warning) w.paragraph(`说明：${p.warning}`);
    w.keyValue('移送调解组织', a.committee.name + (a.committee.address ? `（${a.committee.address}）` : ''));
    if (a.mediatorName) w.keyValue('调解员', a.mediatorName);
    w.keyValue('申请日期', chineseDate(p.preparedOn));
    w.signatureBlock(paymentOrder ? ['申请人'] : ['申请人', '被申请人（盖章）']);
  };
}
