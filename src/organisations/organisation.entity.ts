import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { OrganisationKind } from '../common/domain';

@Entity('organisations')
export class Organisation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({
    type: 'enum',
    enumName: 'organisation_kind',
    enum: ['committee', 'court', 'arbitration_commission', 'justice_bureau'],
  })
  kind!: OrganisationKind;
  @Column('text') name!: string;
  @Column({ type: 'text', nullable: true }) code!: string | null;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'text', nullable: true }) hours!: string | null;
  @Column({ name: 'partner_court_ids', type: 'uuid', array: true, default: () => "'{}'" })
  partnerCourtIds!: string[];
  @Column({ name: 'partner_arbitration_commission_id', type: 'uuid', nullable: true })
  partnerArbitrationCommissionId!: string | null;
  @Column({ name: 'partner_justice_bureau_id', type: 'uuid', nullable: true }) partnerJusticeBureauId!:
    string | null;
  @Column({ name: 'jurisdiction_division_codes', type: 'text', array: true, default: () => "'{}'" })
  jurisdictionDivisionCodes!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
