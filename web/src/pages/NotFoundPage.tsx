import { Link, usePageTitle } from "../router.tsx";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <section className="card">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to="/login">Go to the login page</Link>
      </p>
    </section>
  );
}
