/**
 * The referral partner's line: docs/program.md#commission-lines rules 1–5 and 8, one function per rule.
 * Who among several referral partners is paid (and rejected registrations) is decided in `commission.ts`;
 * these functions answer what the paid one earns.
 */
import { formatMoney, formatRate } from './money.js';
import { nothing, type DealTerms, type RuleOutcome } from './rule-outcome.js';
import { isHighPerformer, referralTier } from './tiers.js';
import { PARTNER_TYPES, REFERRAL_KINDS, type PartnerCompany, type PartnerType, type ReferralKind, type RuleId } from './types.js';

/** The rule each referral kind belongs to in docs/program.md#commission-lines, for kinds an admin configures on another partner type. */
const KIND_HOME_RULE: Record<ReferralKind, RuleId> = {
  software_integration: 'rule_3_technology_referral',
  joint_solution: 'rule_3_technology_referral',
  customer_expansion: 'rule_3_technology_referral',
  technical_consultation: 'rule_3_technology_referral',
  member_referral: 'rule_4_association_referral',
  educational_event: 'rule_4_association_referral',
  research_collaboration: 'rule_4_association_referral',
  vendor_show: 'rule_4_association_referral',
  c_level_referral: 'rule_5_medical_advisor_referral',
};

/** The referral line of the partner that is paid: rule 2 first for expansion deals, else by partner type. */
export function referralLine(company: PartnerCompany, terms: DealTerms): RuleOutcome {
  if (terms.dealType !== 'new' && terms.dealType !== 'expansion') {
    return noMatchingRuleLine(`deal type "${terms.dealType}" is not one the program knows (new or expansion)`);
  }
  const type = knownPartnerType(company);
  if (typeof type !== 'string') return noMatchingRuleLine(type.unknown);
  if (terms.dealType === 'expansion') return expansionLine(type, terms);
  switch (type) {
    case 'consultant':
      return consultantReferralLine(company, terms);
    case 'technology':
      return technologyReferralLine(terms);
    case 'association':
      return associationReferralLine(terms);
    case 'medical_advisor':
      return medicalAdvisorReferralLine(terms);
    default:
      return referralKindLine(type, terms);
  }
}

/**
 * Rule 1: consultant, new deal: the tier rate of B, plus the high-performer bonus. Nothing below the tier's
 * minimum deal size (in the deal's currency) or without a tier.
 */
export function consultantReferralLine(company: PartnerCompany, terms: DealTerms): RuleOutcome {
  const rule = 'rule_1_consultant_referral';
  const { config, currency, basis } = terms;
  const tier = referralTier(company, config);
  if (tier.value === null) return nothing(rule, `consultant partner with no referral tier: ${tier.reason}`);
  const minimum = terms.currencyConfig.referralTierMinimums[tier.value];
  if (basis < minimum) {
    return nothing(rule, `${formatMoney(basis, currency)} is below the ${tier.value} minimum deal size of ${formatMoney(minimum, currency)}`);
  }
  const tierRate = config.referralTiers[tier.value].rateBps;
  const referrals = terms.stats[company.id]?.qualifiedReferrals ?? 0;
  if (!isHighPerformer(referrals, tier.value, config)) {
    return { pays: 'rate', rule, rateBps: tierRate, why: `${tier.value} consultant, new deal` };
  }
  const bonus = config.highPerformer.bonusBps;
  return {
    pays: 'rate',
    rule,
    rateBps: tierRate + bonus,
    why: `${tier.value} consultant, new deal: ${formatRate(tierRate)} + ${formatRate(bonus)} high-performer bonus for ${referrals} qualified referrals this quarter`,
  };
}

/** Rule 2: expansion deal, any known partner type: the expansion revenue share of B. */
export function expansionLine(type: PartnerType, terms: DealTerms): RuleOutcome {
  return {
    pays: 'rate',
    rule: 'rule_2_expansion',
    rateBps: terms.config.expansionRateBps,
    why: `expansion revenue share, ${type} partner`,
  };
}

/** Rule 3: technology partner, by referral kind (a rate of B or a flat fee). */
export function technologyReferralLine(terms: DealTerms): RuleOutcome {
  return referralKindLine('technology', terms, 'rule_3_technology_referral');
}

/** Rule 4: association partner, by referral kind. */
export function associationReferralLine(terms: DealTerms): RuleOutcome {
  return referralKindLine('association', terms, 'rule_4_association_referral');
}

/** Rule 5: medical advisor, by referral kind. */
export function medicalAdvisorReferralLine(terms: DealTerms): RuleOutcome {
  return referralKindLine('medical_advisor', terms, 'rule_5_medical_advisor_referral');
}

/**
 * Rule 8: a referral kind that does not fit the partner type, a partner type with no referral rule, or a value the
 * program does not know. Nothing is paid and the reason names the value: never a guess.
 */
export function noMatchingRuleLine(why: string): RuleOutcome {
  return nothing('rule_8_unknown', why);
}

/**
 * `config.referralRules[type][kind]`: rules 3–5 by default. A partner type an admin gave referral kinds to in the
 * configuration pays by them too, under the rule id of the docs/program.md rule that defines the kind.
 */
function referralKindLine(type: PartnerType, terms: DealTerms, typeRule?: RuleId): RuleOutcome {
  const kinds = terms.config.referralRules[type];
  if (kinds === undefined) return noMatchingRuleLine(`${type} partners have no referral commission rule`);
  const allowed = Object.keys(kinds).join(', ');
  const kind = terms.referralKind;
  if (kind === '') {
    return nothing(typeRule ?? 'rule_8_unknown', `no referral kind set: ${type} referrals pay by kind (${allowed})`);
  }
  if (!isReferralKind(kind)) return noMatchingRuleLine(`referral kind "${kind}" is not one the program knows`);
  const kindRule = kinds[kind];
  if (kindRule === undefined) {
    return noMatchingRuleLine(`referral kind ${kind} does not fit a ${type} partner (${type} referrals: ${allowed})`);
  }
  const rule = typeRule ?? KIND_HOME_RULE[kind];
  const why = `${type} partner, ${kind} referral`;
  if (kindRule.pays === 'rate') return { pays: 'rate', rule, rateBps: kindRule.rateBps, why };
  const fee = terms.currencyConfig.flatFees[kind];
  if (fee === undefined) return nothing(rule, `no flat fee for ${kind} referrals is configured in ${terms.currency}`);
  return { pays: 'flat_fee', rule, flatFee: fee, why };
}

function knownPartnerType(company: PartnerCompany): PartnerType | { unknown: string } {
  const raw = company.partnerType?.trim() ?? '';
  if (raw === '') return { unknown: 'no partner type is set on the partner company' };
  return isPartnerType(raw) ? raw : { unknown: `partner type "${raw}" is not one the program knows` };
}

function isPartnerType(value: string): value is PartnerType {
  return (PARTNER_TYPES as readonly string[]).includes(value);
}

function isReferralKind(value: string): value is ReferralKind {
  return (REFERRAL_KINDS as readonly string[]).includes(value);
}
