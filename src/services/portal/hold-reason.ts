/**
 * The hold reason in words fit for a partner (docs/program.md): the app's reasons are written for finance; the ones a
 * partner can act on say what to do.
 */
export function partnerHoldReason(reason: string | null): string {
  const r = (reason ?? '').toLowerCase();
  const parts: string[] = [];
  if (r.includes('agreement')) parts.push('we do not have your signed partner agreement yet: send it to your partner manager');
  if (r.includes('baa') || r.includes('business associate')) parts.push('a signed business associate agreement (BAA) is needed');
  if (r.includes('fair-market') || r.includes('fair market') || r.includes('anti-kickback')) {
    parts.push('the amount is above the fair-market-value cap, so it is reviewed before payment (a compliance check)');
  }
  if (r.includes('disput')) parts.push('the deal registration is disputed with another partner; it is paid once a partner manager resolves it');
  if (parts.length === 0) return reason?.trim() ? `On hold: ${reason.trim()}` : 'On hold pending review by our finance team.';
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
