import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiFor, setUnauthorizedHandler } from './lib/api.js';
import { Link, usePlace } from './lib/router.js';
import { can, clearSession, loadSession, saveSession, type Session } from './lib/session.js';
import { AgendaPage } from './pages/agenda.js';
import { BoardPage } from './pages/board.js';
import { CommitmentPage } from './pages/commitment.js';
import { PartyPage } from './pages/party.js';
import { ProjectionsPage } from './pages/projections.js';
import { SignInPage } from './pages/sign-in.js';

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [signedOutBecause, setSignedOutBecause] = useState<string | null>(null);
  const place = usePlace();

  useEffect(() => {
    setUnauthorizedHandler((problem) => {
      clearSession();
      setSession(null);
      setSignedOutBecause(problem.detail || 'The API key is no longer accepted.');
    });
  }, []);

  const signIn = (signedIn: Session) => {
    saveSession(signedIn);
    setSignedOutBecause(null);
    setSession(signedIn);
  };
  const signOut = () => {
    clearSession();
    setSession(null);
  };

  if (!session) return <SignInPage onSignedIn={signIn} notice={signedOutBecause} />;
  return <SignedIn session={session} place={place} onSignOut={signOut} />;
}

function SignedIn({
  session,
  place,
  onSignOut,
}: {
  readonly session: Session;
  readonly place: ReturnType<typeof usePlace>;
  readonly onSignOut: () => void;
}) {
  const api = useMemo(() => apiFor(session), [session]);
  const { route, query } = place;
  const current = (page: string) => (route.page === page ? 'page' : undefined);

  useEffect(() => {
    const main = document.querySelector<HTMLElement>('main h1');
    if (main) document.title = `${main.textContent ?? ''} · Commitments tracker`;
  });

  let content;
  switch (route.page) {
    case 'board':
      content = <BoardPage api={api} session={session} query={query} />;
      break;
    case 'commitment':
      content = <CommitmentPage key={route.id} api={api} session={session} id={route.id} query={query} />;
      break;
    case 'party':
      content = <PartyPage key={route.party} api={api} party={route.party} />;
      break;
    case 'agenda':
      content = <AgendaPage api={api} query={query} />;
      break;
    case 'projections':
      content = can(session, 'admin') ? (
        <ProjectionsPage api={api} />
      ) : (
        <NotFound message="The projections page is for admins." />
      );
      break;
    default:
      content = <NotFound message="There is no page at this address." />;
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <nav aria-label="Main">
          <Link href="/" class="brand">
            Commitments tracker
          </Link>
          <Link href="/" aria-current={current('board')}>
            Board
          </Link>
          <Link href="/agenda" aria-current={current('agenda')}>
            Follow-ups
          </Link>
          {can(session, 'admin') ? (
            <Link href="/projections" aria-current={current('projections')}>
              Projections
            </Link>
          ) : null}
        </nav>
        <div class="who">
          <span>
            Signed in as <strong data-testid="who-name">{session.name}</strong> (
            <span data-testid="who-role">{session.role}</span>)
          </span>
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{content}</main>
    </>
  );
}

function NotFound({ message }: { readonly message: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>{message}</p>
      <p>
        <Link href="/">Go to the board</Link>
      </p>
    </section>
  );
}
