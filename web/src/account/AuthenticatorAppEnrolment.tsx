import { useEffect, useState, type FormEvent } from "react";
import QRCode from "qrcode";
import type { EventReply } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { AccountCallError, request, when } from "./account-calls.ts";
import { Outcome, TextField, useAction } from "./parts.tsx";

type Enrolment = EventReply<"device:enrol-standard">;
type Device = EventReply<"device:confirm-standard">["device"];

/** Pixels per QR module: large enough for a phone camera at arm's length, small enough for a 390 px screen. */
const QR_SCALE_PIXELS = 6;
/** Quiet zone in modules: scanners need a light border around the code. */
const QR_MARGIN_MODULES = 4;

/**
 * Adding a standard authenticator app (Google Authenticator, Aegis, FreeOTP): the hub issues an
 * otpauth URI, shown as a QR code (and its key for typing in), and the app's first code confirms it.
 */
export function AuthenticatorAppEnrolment({ onAdded }: { onAdded: (device: Device) => Promise<void> }) {
  const hub = useHub();
  const action = useAction();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);

  const start = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kind = form.get("kind") === "hotp" ? "hotp" : "totp";
    const name = String(form.get("name") ?? "").trim();
    void action.run(async () => {
      setEnrolment(await request(hub, "device:enrol-standard", { kind, ...(name ? { name } : {}) }));
    });
  };
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!enrolment) return;
    const otp = String(new FormData(event.currentTarget).get("otp") ?? "").replace(/\s+/g, "");
    void action.run(async () => {
      try {
        const { device } = await request(hub, "device:confirm-standard", { enrolmentId: enrolment.enrolmentId, otp });
        setEnrolment(null);
        await onAdded(device);
        return `${device.name} (${kindLabel(device.kind)}) is now a device of your account.`;
      } catch (thrown) {
        // Expired, finished, or out of tries: this enrolment is gone, so the page offers a new one.
        if (thrown instanceof AccountCallError && (thrown.code === "enrolment_not_found" || thrown.triesLeft === 0)) setEnrolment(null);
        throw thrown;
      }
    });
  };

  return (
    <section aria-labelledby="authenticator-app-heading">
      <h2 id="authenticator-app-heading">Add an authenticator app</h2>
      <p>Use an app such as Google Authenticator, Aegis or FreeOTP for one-time codes. It cannot approve logins by push.</p>
      <Outcome error={action.error} notice={action.notice} />
      {enrolment ? (
        <EnrolmentSteps enrolment={enrolment} busy={action.busy} onConfirm={confirm} onCancel={() => setEnrolment(null)} />
      ) : (
        <form className="narrow-form" onSubmit={start}>
          <fieldset className="choice">
            <legend>Kind of code</legend>
            <label>
              <input type="radio" name="kind" value="totp" defaultChecked /> Time-based (TOTP, a new code every 30 s; most apps)
            </label>
            <label>
              <input type="radio" name="kind" value="hotp" /> Counter-based (HOTP, a new code each time you ask)
            </label>
          </fieldset>
          <TextField label="App name (optional)" name="name" maxLength={64} placeholder="authenticator app" />
          <div className="actions">
            <button type="submit" className="button" disabled={action.busy}>
              Add an authenticator app
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function EnrolmentSteps({ enrolment, busy, onConfirm, onCancel }: { enrolment: Enrolment; busy: boolean; onConfirm: (event: FormEvent<HTMLFormElement>) => void; onCancel: () => void }) {
  const qr = useQrImage(enrolment.uri);
  return (
    <div className="enrolment" data-testid="authenticator-enrolment">
      <p>1. Scan this QR code with your authenticator app:</p>
      {qr ? (
        <img className="enrolment-qr" src={qr} alt={`QR code to add ${enrolment.issuer} (${enrolment.account}) to an authenticator app`} data-testid="enrolment-qr" />
      ) : (
        <p role="status">Drawing the QR code…</p>
      )}
      <details className="enrolment-key">
        <summary>Can't scan it?</summary>
        <p>Type this key into the app instead ({enrolment.kind === "totp" ? "time-based" : "counter-based"}, 6 digits, SHA-1):</p>
        <p className="enrolment-secret" data-testid="enrolment-secret">
          {groupsOfFour(enrolment.secret)}
        </p>
      </details>
      <form className="narrow-form" onSubmit={onConfirm}>
        <TextField
          label="2. The code your app shows"
          name="otp"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          hint={`Confirm before ${when(enrolment.expiresAt)}; until then the app is not a device of your account.`}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            Confirm the app
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

/** The otpauth URI as a PNG data URL; it holds the secret, so it is drawn here and never fetched. */
function useQrImage(uri: string): string | null {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setImage(null);
    void QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: QR_MARGIN_MODULES, scale: QR_SCALE_PIXELS }).then((url) => {
      if (current) setImage(url);
    });
    return () => {
      current = false;
    };
  }, [uri]);
  return image;
}

/** "JBSW Y3DP EHPK 3PXP": easier to copy by eye; apps ignore the spaces. */
function groupsOfFour(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function kindLabel(kind: string): string {
  if (kind === "totp") return "TOTP app";
  if (kind === "hotp") return "HOTP app";
  return "PairGate authenticator";
}
