/* global navigator */
// A mediator's calendar subscription (SPEC §8): a private iCalendar URL of their sessions, renewable and revocable.
import { api } from './api.js';
import { el, t } from './dom.js';
import { actionForm } from './forms.js';

export async function renderCalendarFeed(s) {
  if (s.user.role !== 'mediator') return el('div', {}, [el('h1', { text: t('error.FORBIDDEN') })]);
  const result = el('div', { id: 'feed-result', 'aria-live': 'polite' });
  const show = (url) => {
    result.textContent = '';
    if (!url) return;
    const id = 'feed-url';
    const input = el('input', { id, type: 'text', readonly: true, value: url, className: 'code-like' });
    const copy = el('button', { type: 'button', className: 'secondary', text: t('calendar.copy') });
    copy.addEventListener('click', async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(url);
        copy.textContent = t('calendar.copied');
      } catch {
        copy.textContent = t('calendar.copyByHand');
      }
    });
    result.append(
      el('div', { className: 'field wide' }, [el('label', { for: id, text: t('calendar.url') }), input]),
      el('p', {}, [copy]),
      el('p', { className: 'hint', text: t('calendar.keepSecret') }),
    );
  };
  const create = actionForm({
    fields: [],
    submitLabel: 'calendar.create',
    submit: async () => show((await api('POST', '/users/me/calendar-feed', {})).url),
  });
  const revoke = actionForm({
    fields: [],
    submitLabel: 'calendar.revoke',
    danger: true,
    submit: async () => {
      await api('DELETE', '/users/me/calendar-feed');
      show(null);
      result.textContent = t('calendar.revoked');
    },
  });
  return el('div', { className: 'narrow' }, [
    el('h1', { id: 'page-title', text: t('calendar.title') }),
    el('p', { text: t('calendar.intro') }),
    el('p', { className: 'hint', text: t('calendar.replaces') }),
    create,
    result,
    revoke,
  ]);
}
