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

const loginSchema = z.object({
  email: z.string().email(),
  password: z.string().min(6),
  displayName: z.string().min(1),
});

const seedFileSchema = z.object({
  business: businessSchema,
  owner: loginSchema,
  /** Staff logins: they see the jobs and calls and act on them, but not settings, texts or the audit log. */
  staff: z.array(loginSchema).default([]),
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

export interface SeededLogin {
  email: string;
  password: string;
  uid: string;
  createdInAuth: boolean;
}

export interface SeedSummary {
  businessId: string;
  owner: SeededLogin;
  staff: SeededLogin[];
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

/** The Auth uid of the seed file's n-th staff login (0-based), deterministic likewise. */
export function staffUid(businessId: string, index: number): string {
  return `${businessId}-staff-${index + 1}`;
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

  for (const [uid, login, role] of loginsOf(seed)) {
    await db.doc(`${paths.business(business.id)}/users/${uid}`).set({
      email: login.email,
      displayName: login.displayName,
      role,
      updatedAt: Timestamp.fromDate(now),
    });
  }
  const logins = auth
    ? await seedLogins(auth, options)
    : {
        owner: { ...notInAuth(seed.owner), uid: ownerUid(business.id) },
        staff: seed.staff.map((s, i) => ({ ...notInAuth(s), uid: staffUid(business.id, i) })),
      };

  return { businessId: business.id, ...logins, customers: seed.customers.length, appointments };
}

function notInAuth(login: SeedFile["owner"]) {
  return { email: login.email, password: login.password, createdInAuth: false };
}

/** Every login of the seed file with its uid and role, the owner first. */
function loginsOf(seed: SeedFile): Array<[string, SeedFile["owner"], "owner" | "staff"]> {
  const id = seed.business.id;
  return [
    [ownerUid(id), seed.owner, "owner"],
    ...seed.staff.map((s, i): [string, SeedFile["owner"], "staff"] => [
      staffUid(id, i),
      s,
      "staff",
    ]),
  ];
}

/** Creates or refreshes only the logins in Auth, owner and staff (Firestore data restored, say). */
export async function seedLogins(
  auth: Auth,
  options: Pick<SeedOptions, "file"> = {},
): Promise<Pick<SeedSummary, "owner" | "staff">> {
  const seed = readSeedFile(options.file ?? defaultSeedFilePath());
  const seeded: SeededLogin[] = [];
  for (const [uid, login, role] of loginsOf(seed)) {
    const createdInAuth = await upsertLogin(auth, uid, seed.business.id, login, role);
    seeded.push({ email: login.email, password: login.password, uid, createdInAuth });
  }
  const [owner, ...staff] = seeded;
  return { owner, staff };
}

/** Creates or refreshes one email/password login and its claims; true when it was created. */
async function upsertLogin(
  auth: Auth,
  uid: string,
  businessId: string,
  login: SeedFile["owner"],
  role: "owner" | "staff",
): Promise<boolean> {
  const profile = {
    email: login.email,
    password: login.password,
    displayName: login.displayName,
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
  await auth.setCustomUserClaims(uid, { businessId, role });
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
