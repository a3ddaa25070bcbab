// The Sluice audit page: signs in for a bearer token, lists queries from /audit/api/queries and
// shows one. Every value from the server is written with textContent, never as HTML: the log
// holds SQL typed by anyone, which must never run here.
'use strict';

(function () {
  const TOKEN_KEY = 'sluice.audit.token';
  const USER_KEY = 'sluice.audit.user';

  const $ = (id) => document.getElementById(id);

  // sessionStorage: the token survives a reload of this tab but not closing it, and no other tab
  // or site gets it (cookies would be sent with every request, CSRF included).
  const session = {
    token: () => sessionStorage.getItem(TOKEN_KEY),
    user: () => sessionStorage.getItem(USER_KEY),
    start(user, token) {
      sessionStorage.setItem(USER_KEY, user);
      sessionStorage.setItem(TOKEN_KEY, token);
    },
    end() {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(USER_KEY);
    },
  };

  function show(view) {
    for (const id of ['login-view', 'list-view', 'detail-view']) {
      $(id).hidden = id !== view;
    }
    $('session').hidden = view === 'login-view';
    $('whoami').textContent = session.user() || '';
  }

  function setMessage(element, text, isError) {
    element.textContent = text;
    element.classList.toggle('error', Boolean(isError));
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  // btoa only takes Latin-1; user names and passwords may be any UTF-8.
  function base64(text) {
    let binary = '';
    for (const byte of new TextEncoder().encode(text)) {
      binary += String.fromCharCode(byte);
    }
    return btoa(binary);
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) {
        return body.error.message;
      }
    } catch (ignored) {
      // Not JSON (the token endpoint answers text): fall through to the text or the status.
    }
    return response.statusText || ('HTTP ' + response.status);
  }

  class AccessDenied extends Error {}
  class SignedOut extends Error {}

  async function api(path) {
    const response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + session.token(), Accept: 'application/json' },
      cache: 'no-store',
    });
    if (response.ok) {
      return response.json();
    }
    const message = await errorMessage(response);
    if (response.status === 401) {
      throw new SignedOut(message);
    }
    if (response.status === 403) {
      throw new AccessDenied(message);
    }
    throw new Error(message);
  }

  async function signIn(event) {
    event.preventDefault();
    const user = $('login-user').value.trim();
    const password = $('login-password').value;
    setMessage($('login-message'), 'Signing in…', false);
    let response;
    try {
      response = await fetch('/v1/auth/token', {
        method: 'POST',
        headers: { Authorization: 'Basic ' + base64(user + ':' + password) },
        cache: 'no-store',
      });
    } catch (failure) {
      setMessage($('login-message'), 'Cannot reach the gateway: ' + failure.message, true);
      return;
    }
    if (!response.ok) {
      const text = (await response.text()).trim();
      setMessage($('login-message'), 'Sign-in failed: ' + (text || response.status), true);
      return;
    }
    const body = await response.json();
    $('login-password').value = '';
    session.start(user, body.access_token);
    await showList();
  }

  async function signOut(message, isError) {
    const token = session.token();
    session.end();
    show('login-view');
    setMessage($('login-message'), message || '', isError);
    if (token) {
      // Best effort: the token also expires by itself.
      fetch('/v1/auth/token', { method: 'DELETE', headers: { Authorization: 'Bearer ' + token } })
        .catch(() => {});
    }
  }

  function handleFailure(failure, messageElement) {
    if (failure instanceof AccessDenied) {
      signOut('Access denied: ' + failure.message, true);
    } else if (failure instanceof SignedOut) {
      signOut('Your session ended; sign in again. (' + failure.message + ')', true);
    } else {
      setMessage(messageElement, failure.message, true);
    }
  }

  function filterParameters() {
    const parameters = new URLSearchParams();
    for (const name of ['user', 'table', 'column', 'status']) {
      const value = $('filter-' + name).value.trim();
      if (value) {
        parameters.set(name, value);
      }
    }
    // datetime-local is the browser's local time; the API takes an instant.
    for (const name of ['since', 'until']) {
      const value = $('filter-' + name).value;
      if (value) {
        const time = new Date(value);
        if (Number.isNaN(time.getTime())) {
          throw new Error('Not a valid time for ' + name + ': ' + value);
        }
        parameters.set(name, time.toISOString());
      }
    }
    return parameters;
  }

  async function showList(event) {
    if (event) {
      event.preventDefault();
    }
    show('list-view');
    const message = $('list-message');
    setMessage(message, 'Loading…', false);
    try {
      const body = await api('/audit/api/queries?' + filterParameters().toString());
      renderList(body.queries);
      setMessage(message, body.queries.length + (body.queries.length === 1 ? ' query' : ' queries'), false);
    } catch (failure) {
      handleFailure(failure, message);
    }
  }

  function renderList(queries) {
    const rows = $('results-body');
    rows.replaceChildren();
    for (const query of queries) {
      const row = element('tr');
      row.dataset.queryId = query.query_id;
      row.append(
        element('td', new Date(query.started_at).toLocaleString()),
        element('td', query.user_name),
        element('td', query.status, 'status-' + query.status),
        element('td', (query.tables_read || []).join(', ')),
        element('td', query.sql_text, 'sql'));
      const open = element('button', 'Open', 'open');
      open.type = 'button';
      open.addEventListener('click', () => showDetail(query.query_id));
      const cell = element('td');
      cell.append(open);
      row.append(cell);
      rows.append(row);
    }
  }

  function definitions(list, pairs) {
    list.replaceChildren();
    for (const [name, value] of pairs) {
      list.append(element('dt', name), element('dd', value === null || value === undefined ? '—' : value));
    }
  }

  function tableRows(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren();
    if (rows.length === 0) {
      const empty = element('td', 'none');
      empty.colSpan = table.tHead.rows[0].cells.length;
      const row = element('tr');
      row.append(empty);
      body.append(row);
      return;
    }
    for (const cells of rows) {
      const row = element('tr');
      for (const cell of cells) {
        row.append(element('td', cell));
      }
      body.append(row);
    }
  }

  async function showDetail(queryId) {
    const message = $('list-message');
    let query;
    try {
      query = await api('/audit/api/queries/' + encodeURIComponent(queryId));
    } catch (failure) {
      handleFailure(failure, message);
      return;
    }
    renderDetail(query);
    show('detail-view');
  }

  function renderDetail(query) {
    $('detail-id').textContent = query.query_id;
    definitions($('detail-fields'), [
      ['Status', query.status],
      ['User', query.user_name],
      ['Roles', query.roles],
      ['Protocol', query.protocol],
      ['Client address', query.client_address],
      ['Client application', query.client_application],
      ['Purpose', query.purpose],
      ['Started', query.started_at],
      ['Finished', query.finished_at],
      ['Refused at', query.stage],
      ['Tables read', (query.tables_read || []).join(', ')],
      ['Columns read', (query.columns_read || []).join(', ')],
      ['Hidden names refused', (query.denied || []).join(', ')],
      ['Rows returned', query.rows_returned],
      ['Bytes returned', query.bytes_returned],
      ['Minimum group size', query.min_group_size],
      ['Groups folded', query.folded_groups],
      ['SQL hash', query.sql_hash],
    ]);
    $('detail-sql').textContent = query.sql_text === null ? '(not recorded)' : query.sql_text;
    tableRows($('detail-masks'), (query.masks || []).map((m) => [m.table, m.column, m.mask]));
    tableRows($('detail-filters'), (query.row_filters || []).map((f) => [f.table, f.sql]));
    const pushdowns = $('detail-pushdowns');
    pushdowns.replaceChildren();
    if ((query.pushdowns || []).length === 0) {
      pushdowns.append(element('p', 'none'));
    }
    for (const pushdown of query.pushdowns || []) {
      pushdowns.append(
        element('h4', pushdown.warehouse),
        element('pre', pushdown.sql === null ? '(not recorded)' : pushdown.sql, 'pushdown'));
    }
    $('detail-error').textContent = query.error_code
      ? query.error_code + ' (' + query.sql_state + '): ' + (query.error_message || '')
      : 'none';
    definitions($('detail-timings'), [
      ['Queue (ms)', query.queue_ms],
      ['Planning (ms)', query.planning_ms],
      ['Execution (ms)', query.execution_ms],
      ['Total (ms)', query.total_ms],
    ]);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', signIn);
    $('filter-form').addEventListener('submit', showList);
    $('logout').addEventListener('click', () => signOut('Signed out.', false));
    $('back').addEventListener('click', () => show('list-view'));
    if (session.token()) {
      showList();
    } else {
      show('login-view');
    }
  });
})();
