import type { ContactHash, LeadId } from './ids.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface Lead {
  readonly id: LeadId;
  readonly phoneHash: ContactHash;
  readonly emailHash: ContactHash | null;
  readonly source: string;
  readonly utmCampaign: string | null;
  readonly status: LeadStatus;
  readonly contactAttempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function qualifyLead(lead: Lead, now: Date): Lead {
  if (lead.status === 'converted' || lead.status === 'lost') {
    throw new Error(`Lead ${lead.id} is ${lead.status} and cannot be qualified`);
  }
  return { ...lead, status: 'qualified', updatedAt: now };
}
