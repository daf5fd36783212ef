/**
 * The application packet of SPEC §9, as sent with a referral: applicant and respondent, amount claimed, the
 * agreement (number, date, committee, items, instalments, payments), the facts of non-performance and the court.
 * Stored with ID numbers masked; the addressed court's liaisons read them in full (audited), see ReferralsService.
 */
import type { Ledger } from '../agreements/agreements.service';
import { CLAIM_TYPE_LABELS, chineseDate } from '../agreements/agreement-document';
import type { CaseRow } from '../cases/case-view';
import type { IdType } from '../common/domain';
import { formatYuan, toChineseCapital } from '../common/money';
import { localDateOf } from '../deadlines/period';
import type { ReferralKind } from './referral-steps';

export interface PacketParty {
  name: string;
  idType: IdType | null;
  /** Masked as stored; in full only in the addressed court's copy. */
  idNumber: string | null;
  creditCode?: string | null;
  phone?: string | null;
  address: string | null;
  domicileDivisionCode?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

export interface ReferralPacket {
  kind: ReferralKind;
  title: string;
  preparedOn: string;
  applicant: PacketParty;
  respondent: PacketParty;
  request: { amountClaimedFen: number; amountFigures: string; amountCapital: string; text: string } | null;
  agreement: {
    caseNo: string;
    agreementId: string;
    signedOn: string;
    effectiveOn: string;
    committee: { id: string; name: string; address: string | null };
    mediatorName: string | null;
    accelerationOnDefault: boolean;
    otherTerms: string | null;
    items: Array<{
      claimType: string;
      label: string;
      amountFen: number;
      paidFen: number;
      outstandingFen: number;
    }>;
    instalments: Array<{
      seq: number;
      dueOn: string;
      amountFen: number;
      paidFen: number;
      outstandingFen: number;
      overdue: boolean;
    }>;
    payments: Array<{ paidOn: string; amountFen: number; source: string }>;
    totals: Ledger['totals'];
  };
  nonPerformance: {
    asOf: string;
    overdueInstalments: Array<{ seq: number; dueOn: string; outstandingFen: number }>;
    text: string;
  } | null;
  employment: { startDate: string; endDate: string | null; position: string | null };
  court: { id: string; name: string; competent: boolean };
  warning: string | null;
  jointApplication: boolean;
}

export interface PacketInput {
  kind: ReferralKind;
  row: CaseRow;
  ledger: Ledger;
  committee: { id: string; name: string; address: string | null };
  mediatorName: string | null;
  court: { id: string; name: string; competent: boolean };
  amountClaimedFen: number | null;
  warning: string | null;
  jointApplication: boolean;
  today: string;
}

export function buildPacket(i: PacketInput): ReferralPacket {
  const { row, ledger } = i;
  const overdue = ledger.instalments.filter((x) => x.overdue);
  const paymentOrder = i.kind === 'payment_order';
  const amount = i.amountClaimedFen ?? 0;
  return {
    kind: i.kind,
    title: paymentOrder ? '支付令申请书' : '司法确认申请书',
    preparedOn: i.today,
    applicant: {
      name: row.worker_name,
      idType: row.worker_id_type,
      idNumber: row.worker_id_masked,
      phone: row.worker_phone,
      address: row.worker_address,
    },
    respondent: {
      name: row.employer_name,
      idType: row.employer_person_id_type,
      idNumber: row.employer_person_id_masked,
      creditCode: row.employer_credit_code,
      address: row.employer_address,
      domicileDivisionCode: row.employer_domicile_division_code,
      contactName: row.employer_contact_name,
      contactPhone: row.employer_contact_phone,
    },
    request: paymentOrder
      ? {
          amountClaimedFen: amount,
          amountFigures: formatYuan(amount),
          amountCapital: `人民币${toChineseCapital(amount)}`,
          text:
            `请求人民法院依法向被申请人发出支付令，督促被申请人向申请人支付调解协议约定的已到期未付款项` +
            `${formatYuan(amount)}（大写：人民币${toChineseCapital(amount)}）。`,
        }
      : null,
    agreement: {
      caseNo: row.case_no,
      agreementId: ledger.id,
      signedOn: ledger.signedOn,
      effectiveOn: localDateOf(new Date(ledger.effectiveAt)),
      committee: i.committee,
      mediatorName: i.mediatorName,
      accelerationOnDefault: ledger.accelerationOnDefault,
      otherTerms: ledger.otherTerms,
      items: ledger.items.map((x) => ({
        claimType: x.claimType,
        label: CLAIM_TYPE_LABELS[x.claimType],
        amountFen: x.amountFen,
        paidFen: x.paidFen,
        outstandingFen: x.outstandingFen,
      })),
      instalments: ledger.instalments.map((x) => ({
        seq: x.seq,
        dueOn: x.dueOn,
        amountFen: x.amountFen,
        paidFen: x.paidFen,
        outstandingFen: x.outstandingFen,
        overdue: x.overdue,
      })),
      payments: ledger.payments.map((p) => ({ paidOn: p.paidOn, amountFen: p.amountFen, source: p.source })),
      totals: ledger.totals,
    },
    nonPerformance: paymentOrder
      ? {
          asOf: i.today,
          overdueInstalments: overdue.map((x) => ({
            seq: x.seq,
            dueOn: x.dueOn,
            outstandingFen: x.outstandingFen,
          })),
          text: nonPerformanceText(ledger, overdue, i.today, amount),
        }
      : null,
    employment: {
      startDate: row.employment_start_date,
      endDate: row.employment_end_date,
      position: row.employment_position,
    },
    court: i.court,
    warning: i.warning,
    jointApplication: i.jointApplication,
  };
}

function nonPerformanceText(
  ledger: Ledger,
  overdue: Ledger['instalments'],
  today: string,
  amount: number,
): string {
  const missed = overdue
    .map((x) => `第${x.seq}期（应于${chineseDate(x.dueOn)}前支付，尚欠${formatYuan(x.outstandingFen)}）`)
    .join('、');
  const accel = ledger.accelerationOnDefault
    ? '依协议约定，被申请人任何一期款项逾期未付的，其余未付款项视为全部到期。'
    : '';
  return (
    `截至${chineseDate(today)}，被申请人共支付${formatYuan(ledger.totals.paidFen)}，尚欠${formatYuan(
      ledger.totals.outstandingFen,
    )}；其中${missed}已逾期未付。${accel}` +
    `被申请人未按调解协议约定履行。申请人据此请求支付的已到期未付款项为${formatYuan(amount)}。`
  );
}
