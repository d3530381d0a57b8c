// Admin: device groups (the unit grants are given on).

import * as groupsApi from '../../api/groups';
import { busy, input } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import type { View } from '../../router';

export function groupsView(): View {
  const name = input({ label: 'Group name', name: 'group-name', required: true, maxlength: 64, hint: 'Letters, digits and _ . -' });
  const error = errorNotice();
  const done = statusNotice();
  const list = h('ul', { class: 'plain-list', attrs: { 'aria-label': 'Groups' } });

  const load = async () => {
    try {
      const groups = await groupsApi.list();
      replace(list, groups.map((g) => h('li', null, h('a', { attrs: { href: `/?group=${encodeURIComponent(g.name)}` } }, g.name))));
    } catch (e) {
      error.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-group-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          try {
            const group = await busy(form, () => groupsApi.create(name.control.value.trim()));
            form.reset();
            done.show(`Group ${group.name} created.`);
            void load();
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-group-title' } }, 'New group'),
    error.element,
    done.element,
    name.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create group')),
  );
  void load();
  return { title: 'Groups', element: h('section', null, h('h1', null, 'Groups'), form, h('h2', null, 'All groups'), list) };
}
