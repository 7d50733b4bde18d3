import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The app's pages; the server answers each of these paths with the app (src/http/web-app.ts). */
export type Route =
  | { readonly page: 'board' }
  | { readonly page: 'commitment'; readonly id: string }
  | { readonly page: 'party'; readonly party: string }
  | { readonly page: 'agenda' }
  | { readonly page: 'projections' }
  | { readonly page: 'not-found' };

export interface Place {
  readonly route: Route;
  readonly query: URLSearchParams;
}

export function routeOf(pathname: string): Route {
  if (pathname === '/') return { page: 'board' };
  if (pathname === '/agenda') return { page: 'agenda' };
  if (pathname === '/projections') return { page: 'projections' };
  const commitment = /^\/commitment\/([^/]+)$/.exec(pathname);
  if (commitment) return { page: 'commitment', id: decodeURIComponent(commitment[1]) };
  const party = /^\/party\/([^/]+)$/.exec(pathname);
  if (party) return { page: 'party', party: decodeURIComponent(party[1]) };
  return { page: 'not-found' };
}

export const commitmentHref = (id: string, query = '') => `/commitment/${encodeURIComponent(id)}${query}`;
export const partyHref = (party: string) => `/party/${encodeURIComponent(party)}`;

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
window.addEventListener('popstate', notify);

/** Goes to `url` within the app; `replace` for changes that should not add a step to Back (filters). */
export function navigate(url: string, { replace = false } = {}): void {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
  if (!replace) window.scrollTo(0, 0);
}

function currentPlace(): Place {
  return { route: routeOf(location.pathname), query: new URLSearchParams(location.search) };
}

/** The page and query of the address bar, re-rendering on every change. */
export function usePlace(): Place {
  const [place, setPlace] = useState(currentPlace);
  useEffect(() => {
    const update = () => setPlace(currentPlace());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return place;
}

interface LinkProps {
  readonly href: string;
  readonly class?: string;
  readonly 'aria-current'?: 'page';
  readonly children: ComponentChildren;
}

/** An in-app link: a plain link for the browser (new tab, copy address), a page change without reload. */
export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
