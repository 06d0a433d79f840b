import type { VisitLookup } from "../domain/dialogue/conversation-engine";
import type { Appointment } from "../domain/scheduling/appointment";
import type { AppointmentStore } from "../ports/appointment-store.port";
import type { CustomerStore } from "../ports/customer-store.port";

/**
 * A caller's upcoming appointments, for moving or cancelling one by phone.
 * By caller ID: the customer's own. By name and postcode: only those of
 * customers matching both, so a wrong guess finds nothing at all (and the
 * dialogue says the same as for a customer with nothing booked).
 */
export async function findUpcomingVisits(
  lookup: VisitLookup,
  businessId: string,
  now: Date,
  deps: { customers: CustomerStore; appointments: AppointmentStore },
): Promise<Appointment[]> {
  if (lookup.by === "caller-id") {
    return deps.appointments.listUpcomingForCustomer(businessId, lookup.customerId, now);
  }
  const customers = await deps.customers.findByPostcodeAndName(
    businessId,
    lookup.postcode,
    lookup.name,
  );
  const lists = await Promise.all(
    customers.map((c) => deps.appointments.listUpcomingForCustomer(businessId, c.id, now)),
  );
  const byId = new Map(lists.flat().map((a) => [a.id, a]));
  return [...byId.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}
