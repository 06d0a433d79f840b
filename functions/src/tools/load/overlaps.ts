import { claimedSpanOf, type Appointment } from "../../domain/scheduling/appointment";

export type BookedSpan = Pick<Appointment, "id" | "businessId" | "start" | "end" | "bufferMinutes">;

/**
 * Pairs of booked appointments of one business whose claimed spans (job plus
 * buffer) overlap: each pair is a double booking. Touching spans do not overlap.
 */
export function overlappingPairs(appointments: readonly BookedSpan[]): Array<[string, string]> {
  const byBusiness = new Map<string, Array<{ id: string; start: number; end: number }>>();
  for (const appointment of appointments) {
    const span = claimedSpanOf(appointment);
    const list = byBusiness.get(appointment.businessId) ?? [];
    list.push({ id: appointment.id, start: span.start.getTime(), end: span.end.getTime() });
    byBusiness.set(appointment.businessId, list);
  }
  const pairs: Array<[string, string]> = [];
  for (const spans of byBusiness.values()) {
    spans.sort((a, b) => a.start - b.start);
    for (let i = 0; i < spans.length; i++) {
      // Sorted by start: once one starts at or after this one's end, so do all later ones.
      for (let j = i + 1; j < spans.length && spans[j].start < spans[i].end; j++) {
        pairs.push([spans[i].id, spans[j].id]);
      }
    }
  }
  return pairs;
}
