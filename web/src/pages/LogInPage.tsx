import { usePageTitle } from "../router.tsx";

export function LogInPage() {
  usePageTitle("Log in");
  return (
    <section className="card">
      <h1 tabIndex={-1}>Log in</h1>
    </section>
  );
}
