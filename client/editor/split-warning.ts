/**
 * Before a split is saved that leaves a part with no households or no party organisation: an
 * in-page warning listing those parts, with a choice of the community's branches and groups
 * to give the parts that have none. Cancelling writes nothing.
 */
import type { PartyOrg } from '../../common/contracts/party.ts';
import { h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { needsPartyOrg, type SplitWarning } from './split-logic.ts';

export interface SplitWarningAnswer {
  /** The organisation chosen for the parts without one (none: keep them without). */
  partyOrgs?: string[];
}

const dialog = h('dialog', { class: 'login-dialog comment-dialog split-warning', id: 'split-warning' });

/** Resolve with what to save, or null to go back to the drawing. */
export function warnBeforeSplit(
  warnings: readonly SplitWarning[],
  orgs: readonly PartyOrg[],
): Promise<SplitWarningAnswer | null> {
  if (!dialog.isConnected) document.body.append(dialog);
  return new Promise((resolve) => {
    const gridOrgs = orgs.filter((o) => o.kind === 'branch' || o.kind === 'group');
    const choice = h(
      'select',
      { name: 'party_org' },
      h('option', { value: '' }, t('editor.splitWarn.assignNone')),
      ...gridOrgs.map((o) => h('option', { value: o.code }, `${o.name}（${t(`partyKind.${o.kind}` as MessageKey)}）`)),
    );
    const assign = needsPartyOrg(warnings)
      ? gridOrgs.length
        ? h('label', {}, t('editor.splitWarn.assign'), choice)
        : h('p', { class: 'small muted' }, t('editor.splitWarn.noOrgs'))
      : null;
    const back = h(
      'button',
      { type: 'button', class: 'secondary', id: 'split-warning-back' },
      t('editor.splitWarn.back'),
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, t('editor.splitWarn.title')),
      h(
        'ul',
        { class: 'split-warnings' },
        ...warnings.map((w) =>
          h(
            'li',
            { 'data-kind': w.kind },
            t(w.kind === 'zero_households' ? 'editor.splitWarn.zero' : 'editor.splitWarn.noParty', { n: w.part }),
          ),
        ),
      ),
      assign,
      h(
        'div',
        { class: 'dialog-actions' },
        back,
        h('button', { type: 'submit', id: 'split-warning-continue' }, t('editor.splitWarn.continue')),
      ),
    );
    let answered = false;
    const finish = (answer: SplitWarningAnswer | null) => {
      if (answered) return;
      answered = true;
      dialog.close();
      resolve(answer);
    };
    back.addEventListener('click', () => finish(null));
    dialog.addEventListener('close', () => finish(null), { once: true });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish(choice.value ? { partyOrgs: [choice.value] } : {});
    });
    dialog.replaceChildren(form);
    dialog.showModal();
    back.focus();
  });
}
