import { useRef, useState } from 'preact/hooks';
import { parseSiteInput } from '../checks';
import { t } from '../../ui/i18n';

export interface HandoverSitesProps {
  sites: string[];
  /** Saves the new list; throws when it was not saved (the section shows why). */
  onChange: (sites: string[]) => Promise<void>;
}

/** "Sites that always use the browser": Latchkey hands their requests to the browser, with no window. */
export function HandoverSites({ sites, onChange }: HandoverSitesProps) {
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const saving = useRef(false);

  const change = async (next: string[]): Promise<boolean> => {
    if (saving.current) return false;
    saving.current = true;
    try { await onChange(next); return true; } catch { return false; } finally { saving.current = false; }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const r = parseSiteInput(input, sites);
    if (!r.ok) { setProblem(r.problem); field.current?.focus(); return; }
    setProblem('');
    if (await change([...sites, r.site])) setInput('');
  };
  const remove = async (site: string, i: number) => {
    if (!(await change(sites.filter((s) => s !== site)))) return;
    // Focus the Remove button that took this one's place, else the one before, else the Site box.
    requestAnimationFrame(() => {
      const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [];
      (buttons[i] ?? buttons[i - 1] ?? field.current)?.focus();
    });
  };
  return (
    <fieldset class="field sites-field" aria-describedby="handover-hint">
      <legend>{t('handoverLegend')}</legend>
      <p id="handover-hint" class="muted hint">{t('handoverHint')}</p>
      {sites.length === 0 ? <p class="muted">{t('noSitesYet')}</p> : (
        <ul class="site-list" ref={list}>
          {sites.map((s, i) => (
            <li key={s}><span class="site">{s}</span><button type="button" aria-label={t('removeSiteLabel', s)} onClick={() => remove(s, i)}>{t('remove')}</button></li>
          ))}
        </ul>
      )}
      <form class="inline" onSubmit={add} noValidate>
        <label>{t('site')}
          <input ref={field} type="text" inputMode="url" autoComplete="off" spellcheck={false} placeholder="example.com" value={input}
            aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'site-problem' : undefined}
            onInput={(e) => { setInput(e.currentTarget.value); if (problem) setProblem(''); }} />
        </label>
        <button type="submit">{t('addSite')}</button>
      </form>
      {problem ? <p id="site-problem" role="alert" class="alert">{problem}</p> : null}
    </fieldset>
  );
}
