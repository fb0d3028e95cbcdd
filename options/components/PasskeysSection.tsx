import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ManagedPasskey } from '../../src/messages/manage';
import { countSites, filterPasskeys, groupBySite, indexPasskeys, neighbourAfterDelete } from '../filterPasskeys';
import { useFeedback } from '../hooks';
import { Messages } from './Messages';
import { SiteGroup } from './SiteGroup';
import { plural, t, withParts } from '../../ui/i18n';

export interface PasskeysSectionProps {
  passkeys: ManagedPasskey[];
  /** More of the list is still on its way from the background (the first rows are shown meanwhile). */
  loading?: boolean;
  onRename: (credentialId: string, label: string) => Promise<void>;
  onDelete: (credentialId: string) => Promise<void>;
  /** Shows a passkey the site's signal hid (offered in sign-ins again). */
  onUnhide: (credentialId: string) => Promise<void>;
}

/** How many matching passkeys are rendered at first, and how many more each "Show more" adds. */
export const PAGE_SIZE = 50;

/** "Your passkeys": search, grouped by site, the first PAGE_SIZE matches and "Show more". */
export function PasskeysSection({ passkeys, loading = false, onRename, onDelete, onUnhide }: PasskeysSectionProps) {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [focusId, setFocusId] = useState<string | null>(null);
  const { feedback, show } = useFeedback();  // news of a rename or delete (their errors show in the row)
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const index = useMemo(() => indexPasskeys(passkeys), [passkeys]);
  const matches = useMemo(() => filterPasskeys(index, query), [index, query]);
  const shown = useMemo(() => matches.slice(0, limit), [matches, limit]);
  const groups = useMemo(() => groupBySite(shown), [shown]);
  const siteCount = useMemo(() => countSites(passkeys), [passkeys]);
  const now = Date.now();

  // After "Show more" or a delete, focus the row asked for (rows take focus with tabIndex=-1).
  useLayoutEffect(() => {
    if (focusId === null) return;
    // '' = no row to go to: the search box, or the heading once the list is empty.
    const row = focusId === '' ? null : list.current?.querySelector<HTMLElement>(`[data-credential-id="${CSS.escape(focusId)}"]`);
    (row ?? (search.current?.isConnected ? search.current : heading.current))?.focus();
    setFocusId(null);
  }, [focusId, groups]);

  const deletePasskey = async (p: ManagedPasskey) => {
    const next = neighbourAfterDelete(shown, p.credentialId);
    await onDelete(p.credentialId);
    show({ status: t('deletedStatus', p.userName, p.rpId) });
    setFocusId(next ?? '');
  };
  const rename = async (credentialId: string, label: string) => {
    await onRename(credentialId, label);
    show({ status: label ? t('renamedTo', label) : t('nameRemoved') });
  };
  const unhide = async (p: ManagedPasskey) => {
    await onUnhide(p.credentialId);
    show({ status: t('unhiddenStatus', p.userName, p.rpId) });
  };
  const showMore = () => {
    const first = matches[limit];
    setLimit(limit + PAGE_SIZE);
    if (first) setFocusId(first.credentialId);
  };

  const total = passkeys.length;
  const summary = total === 0
    ? ''
    : query.trim() === ''
      ? t('summaryAll', plural('passkeyCount', total), plural('siteCount', siteCount))
      : plural('summaryMatches', matches.length, query.trim());
  const more = loading ? ` ${t('loadingRest')}` : '';
  return (
    <section id="passkeys" aria-labelledby="passkeys-h" class="card" aria-busy={loading}>
      <div class="section-head">
        <h2 id="passkeys-h" ref={heading} tabIndex={-1}>{t('yourPasskeys')}</h2>
        <Messages status={feedback.status} />
      </div>
      {total === 0 ? (
        <p class="empty">{withParts('noPasskeysYet', <strong>{t('savePasskey')}</strong>)}</p>
      ) : (
        <>
          <label class="search">{t('searchPasskeys')}
            <input ref={search} type="search" autoComplete="off" spellcheck={false} placeholder={t('searchPlaceholder')} value={query}
              onInput={(e) => { setQuery(e.currentTarget.value); setLimit(PAGE_SIZE); }} />
          </label>
          <p class="muted summary" role="status">{summary}{more}</p>
        </>
      )}
      {total > 0 && matches.length === 0 ? <p class="empty">{t('noMatches', query.trim())}</p> : null}
      {groups.length > 0 ? (
        <ul class="sites" ref={list} aria-label={t('passkeysBySite')}>
          {groups.map((g) => <SiteGroup key={g.rpId} rpId={g.rpId} passkeys={g.passkeys} now={now} onRename={rename} onDelete={deletePasskey} onUnhide={unhide} />)}
        </ul>
      ) : null}
      {matches.length > shown.length ? (
        <div class="more">
          <span class="muted">{t('showingOf', shown.length, matches.length)}</span>
          <button type="button" onClick={showMore}>{t('showMore')}</button>
        </div>
      ) : null}
    </section>
  );
}
