import * as fs from "node:fs";
import * as path from "node:path";
import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { DateTime } from "luxon";
import { z } from "zod";
import { FirestoreAppointmentRepository } from "../adapters/firestore/appointment.repository";
import { FirestoreBusinessRepository } from "../adapters/firestore/business.repository";
import { FirestoreCustomerRepository } from "../adapters/firestore/customer.repository";
import { paths } from "../adapters/firestore/paths";
import {
  Business,
  businessSchema,
  serviceById,
  Weekday,
  WEEKDAYS,
} from "../domain/business/business";
import type { BookingResult } from "../ports/appointment-store.port";

/** The demo tenant every local stack and end-to-end run starts from. */
export const DEFAULT_SEED_FILE = path.join("emulator-data", "seed", "bristol-plumbing.json");

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

const seedFileSchema = z.object({
  business: businessSchema,
  owner: z.object({
    email: z.string().email(),
    password: z.string().min(6),
    displayName: z.string().min(1),
  }),
  customers: z.array(
    z.object({
      name: z.string().min(1),
      phone: e164,
      address: z.string().min(1).optional(),
      propertyNotes: z.string().min(1).optional(),
    }),
  ),
  appointments: z.array(
    z.object({
      customerPhone: e164,
      serviceId: z.string().min(1),
      problem: z.string().min(1),
      /** Counted from today in the business's time zone; a closed day moves to the next open one. */
      daysFromToday: z.number().int().min(0).max(60),
      startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    }),
  ),
});
export type SeedFile = z.infer<typeof seedFileSchema>;

export interface SeededAppointment {
  id: string;
  outcome: BookingResult["outcome"];
  start: Date;
}

export interface SeedSummary {
  businessId: string;
  owner: { email: string; password: string; uid: string; createdInAuth: boolean };
  customers: number;
  appointments: SeededAppointment[];
}

export interface SeedOptions {
  /** The seed file; defaults to emulator-data/seed/bristol-plumbing.json under the repo root. */
  file?: string;
  /** "Today" for the relative appointment dates. */
  now?: Date;
}

/** Parses and validates a seed file; a bad file fails naming the field. */
export function readSeedFile(file: string): SeedFile {
  const raw: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const parsed = seedFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid seed file ${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The owner's Auth uid: deterministic, so seeding twice finds the same user. */
export function ownerUid(businessId: string): string {
  return `${businessId}-owner`;
}

/**
 * The first open day on or after `daysFromToday` days from `now`, at
 * `startTime` on the business's wall clock.
 */
export function seedAppointmentStart(
  business: Business,
  now: Date,
  daysFromToday: number,
  startTime: string,
): DateTime {
  const [hour, minute] = startTime.split(":").map(Number);
  let day = DateTime.fromJSDate(now, { zone: business.timeZone })
    .startOf("day")
    .plus({ days: daysFromToday });
  for (let tries = 0; tries < WEEKDAYS.length; tries++) {
    const weekday = String(day.weekday) as Weekday;
    if ((business.hours[weekday] ?? []).length > 0) break;
    day = day.plus({ days: 1 });
  }
  // DateTime.set keeps the zone, so 09:00 is 09:00 in Bristol in both GMT and BST.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * Writes the demo tenant: its config and phone route, customers, booked
 * appointments (claiming their slot locks like any booking) and, when an Auth
 * handle is given, the owner's login. Safe to run again: ids are deterministic
 * and every write is an upsert or an idempotent booking.
 */
export async function seedDemoTenant(
  db: Firestore,
  auth?: Auth,
  options: SeedOptions = {},
): Promise<SeedSummary> {
  const seed = readSeedFile(options.file ?? defaultSeedFilePath());
  const now = options.now ?? new Date();
  const business = seed.business;

  await new FirestoreBusinessRepository(db).save(business);

  const customerRepository = new FirestoreCustomerRepository(db, () => now);
  const customersByPhone = new Map<string, SeedFile["customers"][number]>();
  for (const customer of seed.customers) {
    await customerRepository.upsert(business.id, customer);
    customersByPhone.set(customer.phone, customer);
  }

  const appointmentRepository = new FirestoreAppointmentRepository(db);
  const appointments: SeededAppointment[] = [];
  for (const [index, entry] of seed.appointments.entries()) {
    const customer = customersByPhone.get(entry.customerPhone);
    if (!customer) {
      throw new Error(
        `seed appointment ${index + 1}: no customer with phone ${entry.customerPhone}`,
      );
    }
    const service = serviceById(business, entry.serviceId);
    if (!service) {
      throw new Error(`seed appointment ${index + 1}: no service "${entry.serviceId}"`);
    }
    const start = seedAppointmentStart(business, now, entry.daysFromToday, entry.startTime);
    const id = `seed-${index + 1}-${start.toISODate()}`;
    const result = await appointmentRepository.book({
      id,
      businessId: business.id,
      customerId: customer.phone,
      customerName: customer.name,
      customerPhone: customer.phone,
      address: customer.address ?? "",
      serviceId: service.id,
      serviceName: service.name,
      problem: entry.problem,
      start: start.toJSDate(),
      end: start.plus({ minutes: service.durationMinutes }).toJSDate(),
      bufferMinutes: service.bufferMinutes ?? 0,
      status: "booked",
      source: "seed",
      createdAt: now,
    });
    appointments.push({ id, outcome: result.outcome, start: start.toJSDate() });
  }

  const uid = ownerUid(business.id);
  await db.doc(`${paths.business(business.id)}/users/${uid}`).set({
    email: seed.owner.email,
    displayName: seed.owner.displayName,
    role: "owner",
    updatedAt: Timestamp.fromDate(now),
  });
  const owner = auth
    ? await seedOwnerLogin(auth, options)
    : { email: seed.owner.email, password: seed.owner.password, uid, createdInAuth: false };

  return { businessId: business.id, owner, customers: seed.customers.length, appointments };
}

/** Creates or refreshes only the owner's login in Auth (Firestore data restored, say). */
export async function seedOwnerLogin(
  auth: Auth,
  options: Pick<SeedOptions, "file"> = {},
): Promise<SeedSummary["owner"]> {
  const seed = readSeedFile(options.file ?? defaultSeedFilePath());
  const uid = ownerUid(seed.business.id);
  const createdInAuth = await upsertOwnerLogin(auth, uid, seed.business.id, seed.owner);
  return { email: seed.owner.email, password: seed.owner.password, uid, createdInAuth };
}

/** Creates or refreshes the owner's email/password login; true when it was created. */
async function upsertOwnerLogin(
  auth: Auth,
  uid: string,
  businessId: string,
  owner: SeedFile["owner"],
): Promise<boolean> {
  const profile = {
    email: owner.email,
    password: owner.password,
    displayName: owner.displayName,
    emailVerified: true,
  };
  let created = false;
  try {
    await auth.updateUser(uid, profile);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "auth/user-not-found") throw error;
    await auth.createUser({ uid, ...profile });
    created = true;
  }
  // The dashboard API reads the tenant and role from the token, not from the client.
  await auth.setCustomUserClaims(uid, { businessId, role: "owner" });
  return created;
}

function defaultSeedFilePath(): string {
  // lib/src/tools/seed.js and src/tools/seed.ts both sit three or four levels under the repo root.
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, DEFAULT_SEED_FILE);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`seed file ${DEFAULT_SEED_FILE} not found above ${__dirname}`);
}
