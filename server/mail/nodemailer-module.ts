import { createRequire } from "node:module";
import type Nodemailer from "nodemailer";

const require = createRequire(import.meta.url);

/**
 * nodemailer, loaded when the first message is composed (or an SMTP relay is configured) rather
 * than when the hub starts: it is one of the larger packages the hub uses, and a hub may send no
 * mail for hours. Loaded with require, so that the mailers stay synchronous to create.
 */
export function loadNodemailer(): typeof Nodemailer {
  return require("nodemailer") as typeof Nodemailer;
}
