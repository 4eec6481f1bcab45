/**
 * `npm run provision`: makes a portal carry the app's CRM contract (docs/program.md#partners-are-hubspot-companies,
 * "Deal properties", the deal→company labels and the pp_payout object), idempotently. Read what the portal has,
 * plan (provision-plan.ts, pure), then create what is missing, one definition per call, in plan order.
 * Nothing existing is ever changed: a definition that differs is reported as a conflict and left as it is.
 * The sandbox start-up calls `provisionPortal` too, so a local demo portal is made by the same code.
 */
import { AppError } from '../errors.js';
import { listDealCompanyLabels } from '../hubspot/associations.js';
import type { HubSpot } from '../hubspot/client.js';
import { HubSpotClientError } from '../hubspot/errors.js';
import { ACTIVITY_OBJECT, PAYOUT_OBJECT } from '../hubspot/properties.js';
import {
  createDealCompanyLabel,
  createCustomObjectSchema,
  createProperty,
  createPropertyGroup,
  listObjectSchemas,
  listProperties,
  listPropertyGroups,
  type ObjectSchemaSummary,
} from '../hubspot/schema-admin.js';
import {
  planProvisioning,
  type CrmObjectType,
  type PayoutSchemaState,
  type PortalState,
  type ProvisionAction,
  type ProvisionConflict,
  type ProvisionPlan,
} from './provision-plan.js';
import { listAssociationTypes } from '../hubspot/associations.js';

export interface ProvisionOptions {
  /** Plan and report only: nothing is created. @defaultValue false */
  dryRun?: boolean;
  /** One line per step as it happens (the command sends them to stderr). @defaultValue none */
  log?: (progressLine: string) => void;
}

export interface ProvisionResult {
  /** What this run created (empty on a dry run). */
  created: string[];
  /** What the portal already had as the app needs it. */
  present: string[];
  /** `<subject>: <what is wrong and what to do>`, found while planning or refused by HubSpot while creating. */
  conflicts: string[];
  /** The plan's creations: what a dry run would do, or what this run set out to do. */
  planned: string[];
  dryRun: boolean;
}

/**
 * Provisioning could not read the portal, or HubSpot failed (not refused) mid-way. `partial` is what was done
 * before: every created definition is complete, so running again finishes the job.
 */
export class ProvisionError extends AppError {
  constructor(
    message: string,
    readonly partial: ProvisionResult,
    cause?: unknown,
  ) {
    // HubSpot refusing (a bad token, a missing scope) stays refused; failing may pass.
    super(message, { status: 502, retryable: !(cause instanceof HubSpotClientError), cause });
  }
}

const describeConflict = (c: ProvisionConflict): string => `${c.subject}: ${c.problem}`;
const isRefusal = (err: unknown, status?: number): err is HubSpotClientError =>
  err instanceof HubSpotClientError && (status === undefined || err.hubspotStatus === status);

async function readCustomObjects(hs: HubSpot): Promise<{ payout: PayoutSchemaState; activity: PayoutSchemaState }> {
  let schemas: ObjectSchemaSummary[];
  try {
    schemas = await listObjectSchemas(hs);
  } catch (err) {
    // A portal without Enterprise (or a token without the custom-object scopes) still gets everything else.
    if (isRefusal(err, 403)) return { payout: { status: 'unreadable', reason: err.message }, activity: { status: 'unreadable', reason: err.message } };
    throw err;
  }
  const [payout, activity] = await Promise.all([
    readCustomObject(
      hs,
      schemas.find((s) => s.name === PAYOUT_OBJECT.name),
    ),
    readCustomObject(
      hs,
      schemas.find((s) => s.name === ACTIVITY_OBJECT.name),
    ),
  ]);
  return { payout, activity };
}

async function readCustomObject(hs: HubSpot, schema: ObjectSchemaSummary | undefined): Promise<PayoutSchemaState> {
  if (!schema) return { status: 'absent' };
  const [properties, groups, toDeals, toCompanies] = await Promise.all([
    listProperties(hs, schema.objectTypeId),
    listPropertyGroups(hs, schema.objectTypeId),
    listAssociationTypes(hs, schema.objectTypeId, 'deals'),
    listAssociationTypes(hs, schema.objectTypeId, 'companies'),
  ]);
  const associatedWith: CrmObjectType[] = [];
  if (toDeals.length > 0) associatedWith.push('deals');
  if (toCompanies.length > 0) associatedWith.push('companies');
  return { status: 'present', objectTypeId: schema.objectTypeId, properties, groupNames: groups.map((g) => g.name), associatedWith };
}

/** Everything the plan looks at, read from the portal: about ten calls, sent together (the limiter paces them). */
export async function readPortalState(hs: HubSpot): Promise<PortalState> {
  const [dealGroups, companyGroups, contactGroups, dealProperties, companyProperties, contactProperties, dealToCompany, companyToDeal, objects] =
    await Promise.all([
      listPropertyGroups(hs, 'deals'),
      listPropertyGroups(hs, 'companies'),
      listPropertyGroups(hs, 'contacts'),
      listProperties(hs, 'deals'),
      listProperties(hs, 'companies'),
      listProperties(hs, 'contacts'),
      listDealCompanyLabels(hs),
      listAssociationTypes(hs, 'companies', 'deals'),
      readCustomObjects(hs),
    ]);
  return {
    groupNames: { deals: dealGroups.map((g) => g.name), companies: companyGroups.map((g) => g.name), contacts: contactGroups.map((g) => g.name) },
    properties: { deals: dealProperties, companies: companyProperties, contacts: contactProperties },
    labels: { dealToCompany, companyToDeal },
    payout: objects.payout,
    activity: objects.activity,
  };
}

function readFailure(err: unknown): string {
  if (isRefusal(err, 401)) return `HubSpot refused the access token (${err.message}): check HUBSPOT_ACCESS_TOKEN`;
  if (isRefusal(err, 403)) {
    return (
      `HubSpot refused to show the portal's definitions (${err.message}): the token needs crm.schemas.deals.write, ` +
      'crm.schemas.companies.write, crm.objects.deals.read and crm.objects.companies.read (README, HubSpot setup)'
    );
  }
  return `could not read the portal: ${err instanceof Error ? err.message : String(err)}`;
}

/** Why HubSpot refused one creation, and what the portal admin can do about it. */
export function refusalProblem(action: ProvisionAction, err: HubSpotClientError): string {
  if (err.hubspotStatus === 403) {
    if (action.kind === 'create-schema' || (action.kind === 'create-property' && action.objectType.startsWith('2-'))) {
      return (
        `HubSpot refused (${err.message}). Custom objects need an Enterprise subscription and a token with ` +
        (action.kind === 'create-schema' && action.object === ACTIVITY_OBJECT.name
          ? `crm.schemas.custom.write; until ${ACTIVITY_OBJECT.name} exists partner activities cannot be recorded or paid`
          : `crm.schemas.custom.write; until ${PAYOUT_OBJECT.name} exists the app computes commissions but cannot record payouts`)
      );
    }
    if (action.kind === 'create-label') {
      return `HubSpot refused (${err.message}): the token needs crm.objects.deals.write and crm.objects.companies.write to manage association labels`;
    }
    return `HubSpot refused (${err.message}): the token needs crm.schemas.${action.objectType}.write`;
  }
  if (err.hubspotStatus === 409) {
    switch (action.kind) {
      case 'create-label':
        return (
          `HubSpot refused (${err.message}): a label with the internal name ${action.label.name} exists under another display label. ` +
          `The app finds labels by display label, so rename it back to "${action.label.label}" in HubSpot`
        );
      case 'create-schema':
        return `HubSpot refused (${err.message}): an object named ${action.object} exists but is not listed (archived?); restore or purge it in HubSpot, then run provision again`;
      default:
        return `HubSpot refused (${err.message}): it exists but is not listed (archived?); restore it in HubSpot, or purge it, then run provision again`;
    }
  }
  return `HubSpot refused to create it (${err.message})`;
}

async function apply(hs: HubSpot, action: ProvisionAction): Promise<void> {
  switch (action.kind) {
    case 'create-group':
      await createPropertyGroup(hs, action.objectType);
      return;
    case 'create-property':
      await createProperty(hs, action.objectType, action.definition, action.groupName);
      return;
    case 'create-label':
      await createDealCompanyLabel(hs, { label: action.label.label, name: action.label.name, inverseLabel: action.label.inverseLabel });
      return;
    case 'create-schema':
      await createCustomObjectSchema(hs, action.object);
      return;
  }
}

/**
 * Provisions the portal behind `hs`. Conflicts do not stop the run: everything that can be created safely is,
 * and each conflict is returned explained. HubSpot refusing one creation (4xx) is a conflict of that definition;
 * HubSpot failing (5xx, rate limit, no answer, after the client's retries) stops the run with ProvisionError.
 */
export async function provisionPortal(hs: HubSpot, options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const dryRun = options.dryRun ?? false;
  const log = options.log ?? (() => undefined);

  log('reading the portal: property groups, deal and company properties, association labels, custom objects');
  let plan: ProvisionPlan;
  try {
    plan = planProvisioning(await readPortalState(hs));
  } catch (err) {
    throw new ProvisionError(readFailure(err), { created: [], present: [], conflicts: [], planned: [], dryRun }, err);
  }

  const result: ProvisionResult = {
    created: [],
    present: plan.present,
    conflicts: plan.conflicts.map(describeConflict),
    planned: plan.actions.map((a) => a.subject),
    dryRun,
  };
  log(`plan: ${plan.actions.length} to create, ${plan.present.length} already present, ${plan.conflicts.length} in conflict`);
  for (const conflict of result.conflicts) log(`conflict: ${conflict}`);

  if (dryRun) {
    for (const action of plan.actions) log(`would create ${action.subject}`);
    return result;
  }

  const failedGroups = new Set<CrmObjectType>();
  const total = plan.actions.length;
  for (const [index, action] of plan.actions.entries()) {
    const step = `[${index + 1}/${total}]`;
    if (action.kind === 'create-property' && action.dependsOnGroupOf !== undefined && failedGroups.has(action.dependsOnGroupOf)) {
      const conflict = `${action.subject}: not created, its property group could not be created (see above)`;
      result.conflicts.push(conflict);
      log(`${step} skipped ${conflict}`);
      continue;
    }
    try {
      await apply(hs, action);
    } catch (err) {
      if (isRefusal(err)) {
        if (action.kind === 'create-group') failedGroups.add(action.objectType);
        const conflict = describeConflict({ subject: action.subject, problem: refusalProblem(action, err) });
        result.conflicts.push(conflict);
        log(`${step} refused ${conflict}`);
        continue;
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new ProvisionError(
        `provisioning stopped after ${result.created.length} of ${total} creations: ${reason}. ` +
          'What was created is complete: run provision again to finish',
        result,
        err,
      );
    }
    result.created.push(action.subject);
    log(`${step} created ${action.subject}`);
  }
  return result;
}

/**
 * The end-of-run summary the command prints (stdout): counts, the plan of a dry run, and each conflict with its
 * explanation (what was created is in the progress lines).
 */
export function formatProvisionSummary(result: ProvisionResult): string {
  const lines: string[] = [];
  const conflicts = `${result.conflicts.length} conflict${result.conflicts.length === 1 ? '' : 's'}`;
  if (result.dryRun) {
    lines.push(`dry run, nothing changed: ${result.planned.length} to create, ${result.present.length} already present, ${conflicts}`);
    for (const subject of result.planned) lines.push(`  would create ${subject}`);
  } else if (result.created.length === 0 && result.conflicts.length === 0) {
    lines.push(`nothing to do: the portal already matches (${result.present.length} definitions present)`);
  } else {
    lines.push(`${result.created.length} created, ${result.present.length} already present, ${conflicts}`);
  }
  if (result.conflicts.length > 0) {
    lines.push(`conflicts (left as they are; fix them in HubSpot, then run provision again):`);
    for (const conflict of result.conflicts) lines.push(`  - ${conflict}`);
  }
  return `${lines.join('\n')}\n`;
}
