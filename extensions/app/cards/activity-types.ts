/**
 * The activity types a card offers when recording one, with their labels (docs/program.md#activities-retainers-and-bonuses).
 * Plain data, shared by the company card and the app home page; the backend validates the type again.
 */
export const ACTIVITY_TYPE_OPTIONS: readonly { value: string; label: string }[] = [
  { value: 'conference_presentation', label: 'Conference presentation' },
  { value: 'case_study', label: 'Case study' },
  { value: 'joint_campaign', label: 'Joint campaign' },
  { value: 'content_piece', label: 'Content piece' },
  { value: 'event', label: 'Event' },
  { value: 'retainer', label: 'Annual retainer' },
];

/** Only a retainer carries an amount: the other types pay their configured fee. */
export const needsAmount = (type: string): boolean => type === 'retainer';

/** A DateInput value as the backend's day (`YYYY-MM-DD`); the SDK's month starts at 0. */
export function isoDay(date: { year: number; month: number; date: number } | null | undefined): string {
  if (!date) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month + 1)}-${pad(date.date)}`;
}
