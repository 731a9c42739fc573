import { useEffect, useState, type FormEvent } from "react";
import type { EventReply } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { AuthenticatorAppEnrolment, kindLabel } from "./AuthenticatorAppEnrolment.tsx";
import { request, when } from "./account-calls.ts";
import { ConfirmAction, Outcome, TextField, useAction } from "./parts.tsx";

type Device = EventReply<"device:list">["devices"][number];
type BindingCode = EventReply<"device:create-binding-code">;

/** The account's devices: add a PairGate authenticator with a binding code or an authenticator app by QR code, rename, unpair. */
export function DevicesPage() {
  return <AccountShell title="Devices">{() => <DeviceList />}</AccountShell>;
}

function DeviceList() {
  const hub = useHub();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [binding, setBinding] = useState<BindingCode | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const action = useAction();
  const refresh = async () => setDevices((await request(hub, "device:list", {})).devices);

  useEffect(() => {
    void action.run(refresh);
    // The authenticator that took the code is paired: show it, and the code is spent.
    return hub.onPush("device:bound", ({ device }) => {
      setBinding(null);
      void action.run(async () => {
        await refresh();
        return `${device.name} is now paired with your account.`;
      });
    });
  }, [hub]);

  const addDevice = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    void action.run(async () => {
      setBinding(await request(hub, "device:create-binding-code", name ? { name } : {}));
    });
  };
  const rename = (device: Device, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    void action.run(async () => {
      await request(hub, "device:rename", { deviceId: device.id, name });
      setRenaming(null);
      await refresh();
      return `Renamed to ${name}.`;
    });
  };
  const revoke = (device: Device) =>
    action.run(async () => {
      await request(hub, "device:revoke", { deviceId: device.id });
      await refresh();
      return `${device.name} is unpaired; its codes no longer work.`;
    });

  return (
    <>
      <p className="lead">Your PairGate authenticators approve your logins and show one-time codes; authenticator apps show one-time codes only.</p>
      <Outcome error={action.error} notice={action.notice} />
      {devices === null ? (
        <p role="status">Loading devices…</p>
      ) : devices.length === 0 ? (
        <p>No device is paired yet. Add one below.</p>
      ) : (
        <ul className="item-list" aria-label="Paired devices">
          {devices.map((device) => (
            <li key={device.id} className="item" data-testid="device">
              {renaming === device.id ? (
                <form className="inline-form" onSubmit={(event) => rename(device, event)}>
                  <TextField label={`New name for ${device.name}`} name="name" defaultValue={device.name} required maxLength={64} autoFocus />
                  <button type="submit" className="button button-small" disabled={action.busy}>
                    Save name
                  </button>
                  <button type="button" className="button button-secondary button-small" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <div className="item-text">
                    <p className="item-title">
                      {device.name}
                      <span className="badge badge-muted" data-testid="device-kind">
                        {kindLabel(device.kind)}
                      </span>
                      {(device.lockedUntil || device.needsOwnerUnlock) && <span className="badge badge-warn">Codes locked</span>}
                    </p>
                    <p className="item-meta">
                      Paired {when(device.createdAt)} · last used {when(device.lastUsedAt)}
                    </p>
                  </div>
                  <div className="item-actions">
                    <button type="button" className="button button-secondary button-small" onClick={() => setRenaming(device.id)}>
                      Rename<span className="visually-hidden"> {device.name}</span>
                    </button>
                    <ConfirmAction label={`Unpair`} question={`Unpair ${device.name}? Its codes and approvals stop working at once.`} confirmLabel={`Unpair ${device.name}`} onConfirm={() => void revoke(device)} />
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Add a PairGate authenticator</h2>
      {binding ? (
        <div className="binding" data-testid="binding-code">
          <p>Type this code into the PairGate authenticator (<code>pairgate-device</code>) within 5 minutes:</p>
          <p className="binding-code" aria-label={`Binding code ${binding.code.split("").join(" ")}`}>
            {binding.code}
          </p>
          <p className="field-hint">Valid until {when(binding.expiresAt)}. This page shows the new device as soon as it is paired.</p>
        </div>
      ) : (
        <form className="inline-form" onSubmit={addDevice}>
          <TextField label="Device name (optional)" name="name" maxLength={64} placeholder="phone" />
          <button type="submit" className="button" disabled={action.busy}>
            Add a device
          </button>
        </form>
      )}
      <AuthenticatorAppEnrolment onAdded={refresh} />
    </>
  );
}
