import { z } from "zod";
import {
  CLIENT_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_INPUT_LENGTH,
  PUBLIC_KEY_PEM_MAX_LENGTH,
  SIGNATURE_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
} from "./constants.ts";

/** Field schemas shared by several events. */

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(USERNAME_MIN_LENGTH, `Use at least ${USERNAME_MIN_LENGTH} characters`)
  .max(USERNAME_MAX_LENGTH, `Use at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(USERNAME_PATTERN, "Use only letters a-z, digits and . _ -");

export const emailSchema = z.string().trim().toLowerCase().max(EMAIL_MAX_LENGTH).pipe(z.email("Not a valid email address"));

/** Any password as typed; the policy (length, common passwords) is the hub's to judge. */
export const passwordSchema = z.string().min(1, "Required").max(PASSWORD_MAX_INPUT_LENGTH, "Too long");

export const publicKeyPemSchema = z.string().min(1).max(PUBLIC_KEY_PEM_MAX_LENGTH);

export const signatureSchema = z
  .string()
  .min(1)
  .max(SIGNATURE_MAX_LENGTH)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "Must be base64");

export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Not a valid id");

export const clientNameSchema = z.string().trim().min(1).max(CLIENT_NAME_MAX_LENGTH);

export const timestampSchema = z.iso.datetime();

export const emptyPayloadSchema = z.object({});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
});

export const accountSchema = userSchema.extend({
  role: z.enum(["user", "admin"]),
  createdAt: timestampSchema,
  passwordChangedAt: timestampSchema,
});
