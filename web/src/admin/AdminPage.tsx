import { useEffect, useState, type FormEvent } from "react";
import type { EventReply } from "#protocol";
import { AccountShell } from "../account/AccountShell.tsx";
import { request, when } from "../account/account-calls.ts";
import { ConfirmAction, Outcome, TextField, useAction } from "../account/parts.tsx";
import { useHub } from "../hub/use-hub.ts";

type UserPage = EventReply<"admin:list-users">;
type AdminUser = UserPage["users"][number];
const PAGE_SIZE = 10;

/** The administrators' console: find users, change their email or role, lock, unlock, delete. */
export function AdminPage() {
  return (
    <AccountShell title="Administration">
      {(me) => (me.user.role === "admin" ? <UserAdmin myId={me.user.id} /> : <p className="alert alert-error" role="alert">Only administrators may open this page.</p>)}
    </AccountShell>
  );
}

function UserAdmin({ myId }: { myId: string }) {
  const hub = useHub();
  const action = useAction();
  const [search, setSearch] = useState("");
  const [pageNumber, setPageNumber] = useState(1);
  const [page, setPage] = useState<UserPage | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const load = async () => setPage(await request(hub, "admin:list-users", { page: pageNumber, pageSize: PAGE_SIZE, ...(search ? { search } : {}) }));
  useEffect(() => void action.run(load), [hub, search, pageNumber]);

  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPageNumber(1);
    setSearch(String(new FormData(event.currentTarget).get("search") ?? "").trim());
  };
  const act = (task: () => Promise<unknown>, done: string) =>
    action.run(async () => {
      await task();
      await load();
      return done;
    });
  const save = (user: AdminUser, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get("email") ?? "").trim();
    const role = data.get("role") === "admin" ? "admin" : "user";
    void act(async () => {
      await request(hub, "admin:update-user", { userId: user.id, ...(email !== user.email ? { email } : {}), ...(role !== user.role ? { role } : {}) });
      setEditing(null);
    }, `${user.username} is updated.`);
  };
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;

  return (
    <>
      <p className="lead">Every account on this hub. Search by a part of a username or an email address.</p>
      <form className="inline-form" role="search" onSubmit={find}>
        <TextField label="Search users" name="search" type="search" defaultValue={search} />
        <button type="submit" className="button button-secondary">
          Search
        </button>
      </form>
      <Outcome error={action.error} notice={action.notice} />
      {page === null ? (
        <p role="status">Loading users…</p>
      ) : (
        <>
          <p className="field-hint list-count" aria-live="polite">
            {page.total === 1 ? "1 user" : `${page.total} users`}
            {search ? ` matching “${search}”` : ""}
            {pages > 1 ? ` · page ${page.page} of ${pages}` : ""}
          </p>
          <ul className="item-list" aria-label="Users">
            {page.users.map((user) => (
              <li key={user.id} className="item item-stack" data-testid="admin-user">
                <div className="item-text">
                  <p className="item-title">
                    {user.username}
                    {user.role === "admin" && <span className="badge">Administrator</span>}
                    {user.locked && <span className="badge badge-warn">Locked</span>}
                    {!user.emailVerified && <span className="badge badge-muted">Email not confirmed</span>}
                  </p>
                  <p className="item-meta">
                    {user.email} · joined {when(user.createdAt)} · {user.devices === 1 ? "1 device" : `${user.devices} devices`}
                    {user.lockReason ? ` · lock reason: ${user.lockReason}` : ""}
                  </p>
                </div>
                {editing === user.id ? (
                  <form className="inline-form" onSubmit={(event) => save(user, event)}>
                    <TextField label={`Email of ${user.username}`} name="email" type="email" defaultValue={user.email} required autoFocus />
                    <div className="field">
                      <label htmlFor={`role-${user.id}`}>Role</label>
                      <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                        <option value="user">User</option>
                        <option value="admin">Administrator</option>
                      </select>
                    </div>
                    <button type="submit" className="button button-small">
                      Save
                    </button>
                    <button type="button" className="button button-secondary button-small" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  user.id !== myId && (
                    <div className="item-actions">
                      <button type="button" className="button button-secondary button-small" onClick={() => setEditing(user.id)}>
                        Edit<span className="visually-hidden"> {user.username}</span>
                      </button>
                      {user.locked ? (
                        <button type="button" className="button button-secondary button-small" onClick={() => void act(() => request(hub, "admin:unlock-user", { userId: user.id }), `${user.username} is unlocked.`)}>
                          Unlock<span className="visually-hidden"> {user.username}</span>
                        </button>
                      ) : (
                        <ConfirmAction
                          label={`Lock`}
                          question={`Lock ${user.username}? Their sessions end at once and they cannot log in until unlocked.`}
                          confirmLabel={`Lock ${user.username}`}
                          onConfirm={() => void act(() => request(hub, "admin:lock-user", { userId: user.id }), `${user.username} is locked.`)}
                        />
                      )}
                      <ConfirmAction
                        label={`Delete`}
                        question={`Delete ${user.username} (${user.email}) for good, with their sessions, devices and codes?`}
                        confirmLabel={`Delete ${user.username}`}
                        onConfirm={() => void act(() => request(hub, "admin:delete-user", { userId: user.id }), `${user.username} is deleted.`)}
                      />
                    </div>
                  )
                )}
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <div className="actions pager">
              <button type="button" className="button button-secondary" disabled={pageNumber <= 1} onClick={() => setPageNumber(pageNumber - 1)}>
                Previous page
              </button>
              <button type="button" className="button button-secondary" disabled={pageNumber >= pages} onClick={() => setPageNumber(pageNumber + 1)}>
                Next page
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
