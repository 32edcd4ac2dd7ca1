/** The inventory file's shape (YAML). Semantic rules (ids, drivers, secrets) are in inventory.ts. */
import { z } from 'zod';
import { DEVICE_CATEGORIES } from '../core/types';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected an id of lower-case letters, digits, "-" or "_"');
const names = z.strictObject({
  ru: z.string().trim().min(1, 'the Russian name is empty'),
  kk: z.string().trim().min(1, 'the Kazakh name is empty'),
});

export const secretRef = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name') }),
  z.strictObject({ secret: z.string().min(1) }),
], { error: 'expected { env: VARIABLE } or { secret: NAME } (never the password itself)' });
export type SecretRef = z.infer<typeof secretRef>;

const credentials = z.strictObject({
  username: z.string().min(1).optional(),
  password: secretRef.optional(),
});

const seconds = z.number().positive().max(86_400);

export const deviceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected an id of lower-case letters, digits, ".", "-" or "_"'),
  driver: z.string().min(1),
  category: z.enum(DEVICE_CATEGORIES as [string, ...string[]]).optional(),
  name: names.optional(),
  address: z.string(),
  critical: z.boolean().default(true),
  intervalSeconds: seconds.optional(),
  timeoutSeconds: seconds.optional(),
  credentials: credentials.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const hallSchema = z.strictObject({
  number: z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String),
  name: names.optional(),
  avf: z.boolean().default(true),
  vks: z.boolean().default(false),
  devices: z.array(deviceSchema).default([]),
});

export const courtSchema = z.strictObject({
  id,
  name: names,
  level: z.enum(['district', 'regional', 'supreme']),
  timezone: z.string().default('Asia/Almaty'),
  halls: z.array(hallSchema).default([]),
});

export const regionSchema = z.strictObject({
  id,
  name: names,
  courts: z.array(courtSchema).min(1, 'a region needs at least one court'),
});

/** A service organization and the courts its maintenance contract covers (its technicians' scope). */
export const serviceOrgSchema = z.strictObject({
  id,
  name: names,
  contract: z.strictObject({
    regions: z.array(z.string()).default([]),
    courts: z.array(z.string()).default([]),
  }),
});

export const inventorySchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Secrets (encrypted with `hallwatch secrets set`, or a plain YAML map), relative to the inventory. */
  secretsFile: z.string().optional(),
  /** The key of an encrypted secrets file; default: hallwatch.key beside the secrets file. */
  secretsKeyFile: z.string().optional(),
  defaults: z.strictObject({
    intervalSeconds: seconds.optional(),
    timeoutSeconds: seconds.optional(),
  }).default({}),
  regions: z.array(regionSchema).min(1, 'the inventory needs at least one region'),
  serviceOrganizations: z.array(serviceOrgSchema).default([]),
});

export type InventoryFile = z.infer<typeof inventorySchema>;
export type DeviceEntry = z.infer<typeof deviceSchema>;

/*
 * Shallow forms: each level with its children left unparsed, so that the loader validates one
 * level at a time and a wrong type in one device never hides the problems of the others.
 */
export const inventoryShallow = inventorySchema.extend({
  regions: z.array(z.unknown()).min(1, 'the inventory needs at least one region'),
  serviceOrganizations: z.array(z.unknown()).default([]),
});
export const regionShallow = regionSchema.extend({ courts: z.array(z.unknown()).min(1, 'a region needs at least one court') });
export const courtShallow = courtSchema.extend({ halls: z.array(z.unknown()).default([]) });
export const hallShallow = hallSchema.extend({ devices: z.array(z.unknown()).default([]) });
