/**
 * The 调解协议书 (People's Mediation Law art. 28–29): the parties, the main facts and the points in dispute, what
 * was agreed, how and when it is performed, and room for the parties' signatures, the mediator's signature and
 * the committee's seal. Amounts are written in figures and in Chinese capitals, as on any legal money document.
 */
import type { ClaimType } from '../common/domain';
import { formatYuan, toChineseCapital } from '../common/money';
import type { PdfWriter } from '../common/pdf/pdf-document';

export const CLAIM_TYPE_LABELS: Record<ClaimType, string> = {
  wage_arrears: '拖欠劳动报酬（工资）',
  economic_compensation: '经济补偿',
  work_injury_medical: '工伤医疗费',
  work_injury_benefits: '工伤保险待遇',
  damages: '赔偿金',
  social_insurance: '社会保险待遇损失',
  labour_relationship: '劳动关系',
  welfare: '福利待遇',
  other: '其他',
};

export interface AgreementDocumentData {
  caseNo: string;
  committeeName: string;
  committeeAddress: string | null;
  mediatorName: string | null;
  worker: { name: string; idNumberMasked: string; address: string | null };
  employer: {
    name: string;
    creditCode: string | null;
    personIdMasked: string | null;
    address: string | null;
    contactName: string | null;
  };
  employment: { startDate: string; endDate: string | null; position: string | null };
  facts: string | null;
  claims: Array<{ type: ClaimType; amountFen: number; description: string | null }>;
  signedOn: string;
  effectiveOn: string;
  items: Array<{ claimType: ClaimType; amountFen: number; description: string | null }>;
  totalFen: number;
  instalments: Array<{ seq: number; dueOn: string; amountFen: number }>;
  paidAtSigning: boolean;
  accelerationOnDefault: boolean;
  otherTerms: string | null;
  workerObligations?: string | null;
}

/** `2026-03-10` → `2026年3月10日`. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const money = (fen: number) => `${formatYuan(fen)}（人民币${toChineseCapital(fen)}）`;

export function agreementDocument(d: AgreementDocumentData): (w: PdfWriter) => void {
  return (w) => {
    w.title('调解协议书');
    w.keyValue('编号', `${d.caseNo}`);
    w.keyValue('调解组织', d.committeeName);
    if (d.committeeAddress) w.keyValue('调解组织地址', d.committeeAddress);

    w.heading('一、当事人');
    const worker = [
      `${d.worker.name}`,
      `身份证件号码 ${d.worker.idNumberMasked}`,
      d.worker.address ? `住址 ${d.worker.address}` : null,
    ];
    w.keyValue('申请人（劳动者）', worker.filter(Boolean).join('，'));
    const employer = [
      d.employer.name,
      d.employer.creditCode
        ? `统一社会信用代码 ${d.employer.creditCode}`
        : d.employer.personIdMasked
          ? `身份证件号码 ${d.employer.personIdMasked}`
          : null,
      d.employer.address ? `住所 ${d.employer.address}` : null,
      d.employer.contactName ? `联系人 ${d.employer.contactName}` : null,
    ];
    w.keyValue('被申请人（用人单位）', employer.filter(Boolean).join('，'));

    w.heading('二、纠纷的主要事实和争议事项');
    const job = d.employment.position ? `，从事${d.employment.position}工作` : '';
    const left = d.employment.endDate ? `，${chineseDate(d.employment.endDate)}离职` : '';
    w.paragraph(
      `申请人于${chineseDate(d.employment.startDate)}入职被申请人${job}${left}。` + (d.facts ? d.facts : ''),
    );
    w.paragraph('申请人提出如下请求：');
    w.table(
      [
        { header: '序号', width: 40 },
        { header: '请求事项', width: 150 },
        { header: '请求金额', width: 95, align: 'right' },
        { header: '说明', width: 190 },
      ],
      d.claims.map((c, n) => [
        String(n + 1),
        CLAIM_TYPE_LABELS[c.type],
        formatYuan(c.amountFen),
        c.description ?? '',
      ]),
    );

    w.heading('三、协议内容');
    w.paragraph(
      `经${d.committeeName}主持调解，双方当事人在平等自愿的基础上达成如下协议：被申请人向申请人支付下列款项，` +
        `合计${money(d.totalFen)}。`,
    );
    w.table(
      [
        { header: '序号', width: 40 },
        { header: '项目', width: 140 },
        { header: '金额（小写）', width: 95, align: 'right' },
        { header: '金额（大写）', width: 200 },
      ],
      [
        ...d.items.map((i, n) => [
          String(n + 1),
          CLAIM_TYPE_LABELS[i.claimType] + (i.description ? `：${i.description}` : ''),
          formatYuan(i.amountFen),
          `人民币${toChineseCapital(i.amountFen)}`,
        ]),
        ['', '合计', formatYuan(d.totalFen), `人民币${toChineseCapital(d.totalFen)}`],
      ],
    );

    w.heading('四、履行方式和期限');
    if (d.totalFen === 0) {
      w.paragraph('本协议不涉及款项给付。');
    } else if (d.paidAtSigning) {
      w.paragraph(
        `上述款项共计${money(d.totalFen)}，被申请人已于${chineseDate(d.signedOn)}协议签订时一次性向申请人付清。`,
      );
    } else {
      w.paragraph(
        `被申请人应按下列期限，将上述款项直接支付给申请人；每期款项应于所列日期当日或之前付清，` +
          `申请人收到款项后应向被申请人出具收据：`,
      );
      w.table(
        [
          { header: '期次', width: 50 },
          { header: '付款期限（不迟于）', width: 130 },
          { header: '金额（小写）', width: 95, align: 'right' },
          { header: '金额（大写）', width: 200 },
        ],
        d.instalments.map((i) => [
          `第${i.seq}期`,
          chineseDate(i.dueOn),
          formatYuan(i.amountFen),
          `人民币${toChineseCapital(i.amountFen)}`,
        ]),
      );
      if (d.accelerationOnDefault) {
        w.paragraph('被申请人任何一期款项逾期未付的，其余未付款项视为全部到期，申请人可以一并要求支付。');
      }
    }

    w.heading('五、其他约定');
    if (d.workerObligations?.trim()) w.paragraph(`申请人承担的义务：${d.workerObligations.trim()}`);
    w.paragraph(d.otherTerms?.trim() ? d.otherTerms.trim() : '无。');
    w.paragraph('本协议履行完毕后，双方就本次劳动争议再无其他纠纷。');

    w.heading('六、协议效力');
    w.paragraph(
      '本协议自双方当事人签名或者盖章、调解员签名并加盖人民调解委员会印章之日起生效。' +
        '依照《中华人民共和国人民调解法》第三十一条，经人民调解委员会调解达成的调解协议具有法律约束力，当事人应当按照约定履行。',
    );
    w.paragraph(
      '双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认（《中华人民共和国人民调解法》第三十三条）。' +
        '因支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项达成本协议，用人单位在约定期限内不履行的，' +
        '劳动者可以持本协议书依法向人民法院申请支付令（《中华人民共和国劳动争议调解仲裁法》第十六条）。',
    );
    w.paragraph('本协议一式三份，双方当事人各执一份，人民调解委员会留存一份，具有同等效力。');

    w.spacer();
    w.keyValue('协议签订日期', chineseDate(d.signedOn));
    w.keyValue('协议生效日期', chineseDate(d.effectiveOn));
    if (d.mediatorName) w.keyValue('调解员', d.mediatorName);
    // Labels short enough to share a line with the signature and date keep the block compact.
    w.signatureBlock(['申请人（劳动者）', '被申请人（盖章）', '调解员', '人民调解委员会（印章）']);
  };
}
