/** An Atom 1.0 feed (RFC 4287), for people who follow a log in a feed reader. */
export interface AtomEntry {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly author: string;
  readonly content: string;
  readonly link?: string;
}

export interface AtomFeed {
  readonly id: string;
  readonly title: string;
  readonly selfLink: string;
  readonly updated: string;
  readonly entries: readonly AtomEntry[];
}

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/**
 * Recorded text goes into the feed as text: every markup character escaped, and the few characters XML 1.0
 * cannot carry at all (C0 controls other than tab and line ends) shown as U+FFFD.
 */
function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters to replace
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export function toAtom(feed: AtomFeed): string {
  const entries = feed.entries.map(
    (entry) => `  <entry>
    <id>${escapeXml(entry.id)}</id>
    <title type="text">${escapeXml(entry.title)}</title>
    <updated>${escapeXml(entry.updated)}</updated>
    <author><name>${escapeXml(entry.author)}</name></author>${
      entry.link ? `\n    <link rel="alternate" href="${escapeXml(entry.link)}"/>` : ''
    }
    <content type="text">${escapeXml(entry.content)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(feed.id)}</id>
  <title type="text">${escapeXml(feed.title)}</title>
  <updated>${escapeXml(feed.updated)}</updated>
  <link rel="self" href="${escapeXml(feed.selfLink)}"/>
${entries.join('\n')}
</feed>
`;
}
