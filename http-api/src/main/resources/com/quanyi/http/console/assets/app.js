'use strict';
// The operator console: one page, hash routes, the admin API of the node that served it.
(() => {
  const state = {token: sessionStorage.getItem('quanyi.token'), me: null, timer: null};
  const $ = id => document.getElementById(id);

  class Problem extends Error {
    constructor(status, body) {
      super((body && body.detail) || String(status));
      this.status = status;
      this.code = body && body.code;
    }
  }

  async function api(method, path, body) {
    const headers = {'Authorization': 'Bearer ' + state.token};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (response.status === 401) {
      signOut();
      throw new Problem(401, json);
    }
    if (!response.ok) throw new Problem(response.status, json);
    return json;
  }

  const can = permission => state.me && state.me.permissions.includes(permission);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    });
    children.flat().forEach(c => node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
    return node;
  }

  function card(titleKey, id) {
    return el('section', {class: 'card', id}, el('h2', {text: I18n.t(titleKey)}), el('div', {class: 'body'}));
  }

  function money(minor, currency) {
    return (minor / 100).toLocaleString(undefined, {minimumFractionDigits: 2}) + (currency ? ' ' + currency : '');
  }

  function today() {
    return new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Shanghai'}).format(new Date());
  }

  function confirmAction(text) {
    return new Promise(resolve => {
      const dialog = $('confirm');
      $('confirm-text').textContent = text;
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
      dialog.showModal();
    });
  }

  // ---- sign-in ----
  async function signIn(event) {
    event.preventDefault();
    state.token = $('token').value.trim();
    $('signin-error').textContent = '';
    try {
      state.me = await api('GET', '/admin/v1/me');
      sessionStorage.setItem('quanyi.token', state.token);
      $('token').value = '';
      show();
    } catch (e) {
      state.token = null;
      $('signin-error').textContent = e.status === 401 ? I18n.t('badToken') : I18n.t('unavailable');
    }
  }

  function signOut() {
    sessionStorage.removeItem('quanyi.token');
    state.token = null;
    state.me = null;
    clearInterval(state.timer);
    show();
  }

  function show() {
    const signedIn = !!state.me;
    $('signin').hidden = signedIn;
    $('shell').hidden = !signedIn;
    I18n.apply(document.body);
    if (signedIn) {
      $('who').textContent = state.me.name + ' · ' + I18n.t('role') + ': ' + state.me.role;
      route();
    }
  }

  function route() {
    clearInterval(state.timer);
    const page = (location.hash.replace('#/', '') || 'dashboard').split('/')[0];
    document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#/' + page));
    const view = $('view');
    view.replaceChildren();
    ({dashboard, orders, reviews, catalog, channels, risk, reports, projections, tokens, suppliers}[page] || dashboard)(view);
  }

  // ---- dashboard: polled every 2 s ----
  function dashboard(view) {
    const grid = el('div', {class: 'grid'});
    ['alerts', 'ordersPerSecond', 'refusalsPerSecond', 'todayBySku', 'todayByChannel', 'stock', 'lowStock', 'projectionLag',
      'reviewQueue', 'suppliers', 'members'].forEach(key => grid.appendChild(card(key, 'card-' + key)));
    view.appendChild(grid);
    const history = [];
    const body = key => document.querySelector('#card-' + key + ' .body');
    const refused = (key, e) => {
      body(key).replaceChildren(el('p', {class: 'muted', text: e.status === 403 ? I18n.t('notPermitted') : I18n.t('unavailable')}));
    };

    async function live() {
      try {
        const now = await api('GET', '/admin/v1/dashboard/live');
        history.push({at: Date.parse(now.at), totals: now.orderAnswers});
        if (history.length > 31) history.shift();
        drawRates(history, body);
        body('members').replaceChildren(el('table', {}, ...now.members.map(m => el('tr', {},
          el('td', {text: m.address + (m.self ? ' *' : '')}), el('td', {text: m.status}),
          el('td', {}, el('span', {class: 'badge ' + (m.reachable ? 'good' : 'bad'),
            text: I18n.t(m.reachable ? 'reachable' : 'unreachable')}))))));
      } catch (e) {
        refused('ordersPerSecond', e);
      }
      try {
        const alerts = await api('GET', '/admin/v1/alerts');
        body('alerts').replaceChildren(alerts.alerts.length
          ? el('table', {id: 'alert-rows'}, ...alerts.alerts.map(a => el('tr', {'data-alert': a.key},
              el('td', {}, el('span', {class: 'badge bad', text: a.kind})), el('td', {text: a.subject}),
              el('td', {text: a.detail}), el('td', {class: 'muted', text: a.since}))))
          : el('p', {class: 'muted', text: I18n.t('noAlerts')}));
      } catch (e) {
        refused('alerts', e);
      }
    }

    async function slow() {
      const day = today();
      for (const [key, group] of [['todayBySku', 'sku'], ['todayByChannel', 'channel']]) {
        try {
          const sales = await api('GET', `/admin/v1/reports/sales?from=${day}&to=${day}&groupBy=${group}`);
          const target = body(key);
          target.replaceChildren();
          const revenue = el('div'), margin = el('div');
          const label = l => group === 'sku' ? l.skuId : l.channelId;
          Charts.bars(revenue, sales.lines.map(l => ({label: label(l), value: l.revenue})), v => money(v));
          Charts.bars(margin, sales.lines.map(l => ({label: label(l), value: l.margin})), v => money(v));
          const units = sales.lines.reduce((s, l) => s + l.units, 0);
          target.append(el('p', {text: I18n.t('units') + ': ' + units}), el('h3', {text: I18n.t('revenue')}), revenue,
            el('h3', {text: I18n.t('margin')}), margin);
        } catch (e) { refused(key, e); }
      }
      try {
        const inventory = await api('GET', '/admin/v1/reports/inventory');
        Charts.bars(body('stock'), inventory.skus.map(s => ({label: s.name || s.skuId, value: s.available})));
        const low = inventory.skus.filter(s => s.lowSince);
        body('lowStock').replaceChildren(low.length
          ? el('table', {}, ...low.map(s => el('tr', {}, el('td', {text: s.name || s.skuId}),
              el('td', {}, el('span', {class: 'badge bad', text: s.available + ' / ' + s.threshold})))))
          : el('p', {class: 'muted', text: I18n.t('noLowStock')}));
      } catch (e) { refused('stock', e); refused('lowStock', e); }
      try {
        const projections = await api('GET', '/admin/v1/projections');
        Charts.bars(body('projectionLag'), projections.projections.map(p => ({label: p.name,
          value: Math.max(0, ...p.instances.map(i => i.lagMillis)) / 1000})), v => v.toFixed(1) + ' s');
      } catch (e) { refused('projectionLag', e); }
      try {
        const queue = await api('GET', '/admin/v1/reviews');
        body('reviewQueue').replaceChildren(el('p', {class: 'big', id: 'review-count', text: String(queue.orders.length)}));
      } catch (e) { refused('reviewQueue', e); }
      try {
        const suppliers = await api('GET', '/admin/v1/suppliers');
        body('suppliers').replaceChildren(suppliers.suppliers.length ? el('table', {}, ...suppliers.suppliers.map(s =>
          el('tr', {}, el('td', {text: s.name || s.supplierId}), el('td', {}, el('span', {
            class: 'badge ' + (s.health && s.health.circuit === 'CLOSED' ? 'good' : 'bad'),
            text: s.health ? s.health.circuit : '?'}))))) : el('p', {class: 'muted', text: I18n.t('none')}));
      } catch (e) { refused('suppliers', e); }
    }

    live();
    slow();
    let tick = 0;
    state.timer = setInterval(() => {
      live();
      if (++tick % 5 === 0) slow();
    }, 2000);
  }

  function drawRates(history, body) {
    if (history.length < 2) return;
    const keys = new Set(history.flatMap(h => Object.keys(h.totals)));
    const byOutcome = new Map(), byReason = new Map();
    for (const key of keys) {
      const [, outcome, reason] = key.split('/');
      const target = outcome === 'refused' ? byReason : byOutcome;
      const name = outcome === 'refused' ? reason : outcome;
      const points = [];
      for (let i = 1; i < history.length; i++) {
        const seconds = Math.max(0.001, (history[i].at - history[i - 1].at) / 1000);
        points.push(Math.max(0, ((history[i].totals[key] || 0) - (history[i - 1].totals[key] || 0)) / seconds));
      }
      const sum = target.get(name);
      target.set(name, sum ? sum.map((p, i) => p + points[i]) : points);
    }
    const series = map => [...map.entries()].map(([name, points]) => ({name, points}));
    Charts.lines(body('ordersPerSecond'), series(byOutcome), I18n.t('perSecond'));
    Charts.lines(body('refusalsPerSecond'), series(byReason), I18n.t('perSecond'));
  }

  // ---- orders ----
  function orders(view) {
    const byNumber = el('form', {class: 'card row', id: 'search-number'},
      el('strong', {text: I18n.t('searchByNumber')}),
      el('input', {id: 'q-channel', placeholder: I18n.t('channelId'), required: ''}),
      el('input', {id: 'q-number', placeholder: I18n.t('clientOrderNo'), required: ''}),
      el('button', {type: 'submit', text: I18n.t('search')}),
      el('span', {class: 'field-error', id: 'q-number-error'}));
    const byIndex = el('form', {class: 'card row', id: 'search-index'},
      el('strong', {text: I18n.t('searchByIndex')}),
      el('select', {id: 'q-status'}, el('option', {value: '', text: '—'}),
        ...['PROCESSING', 'DELIVERED', 'PARTLY_DELIVERED', 'FAILED', 'REVIEW', 'REFUNDED'].map(s => el('option', {value: s, text: s}))),
      el('input', {id: 'q-sku', placeholder: I18n.t('skuId')}),
      el('input', {id: 'q-from', type: 'date', value: today()}),
      el('input', {id: 'q-to', type: 'date', value: today()}),
      el('button', {type: 'submit', text: I18n.t('search')}),
      el('span', {class: 'field-error', id: 'q-index-error'}));
    const results = el('section', {class: 'card', id: 'order-results', hidden: ''});
    const detail = el('section', {class: 'card', id: 'order-detail', hidden: ''});
    view.append(byNumber, byIndex, results, detail, codeTrace());

    byNumber.addEventListener('submit', async event => {
      event.preventDefault();
      $('q-number-error').textContent = '';
      const id = $('q-channel').value.trim() + '~' + $('q-number').value.trim();
      try {
        showOrder(detail, await api('GET', '/admin/v1/orders/' + encodeURIComponent(id)));
      } catch (e) {
        detail.hidden = true;
        $('q-number-error').textContent = e.status === 404 ? I18n.t('notFound') : e.message;
      }
    });
    byIndex.addEventListener('submit', async event => {
      event.preventDefault();
      $('q-index-error').textContent = '';
      const params = new URLSearchParams({from: $('q-from').value, to: $('q-to').value});
      if ($('q-status').value) params.set('status', $('q-status').value);
      if ($('q-sku').value.trim()) params.set('skuId', $('q-sku').value.trim());
      try {
        const page = await api('GET', '/admin/v1/reports/orders?' + params);
        results.hidden = false;
        results.replaceChildren(el('table', {id: 'order-rows'},
          el('tr', {}, ...['orderId', 'status', 'skuId', 'quantity', 'amount', 'createdAt'].map(h => el('th', {text: I18n.t(h)}))),
          ...page.rows.map(r => el('tr', {},
            el('td', {}, el('button', {class: 'link', text: r.orderId, onclick: async () =>
              showOrder(detail, await api('GET', '/admin/v1/orders/' + encodeURIComponent(r.orderId)))})),
            el('td', {text: r.status}), el('td', {text: r.skuId}), el('td', {text: String(r.quantity)}),
            el('td', {text: money(r.amount, r.currency)}), el('td', {text: r.createdAt})))));
      } catch (e) {
        $('q-index-error').textContent = e.message;
      }
    });
  }

  function showOrder(detail, order) {
    detail.hidden = false;
    const rows = [['orderId', order.orderId], ['clientOrderNo', order.clientOrderNo], ['status', order.status],
      ['skuId', order.skuId], ['quantity', String(order.quantity)],
      ['amount', order.amount ? money(order.amount.amount, order.amount.currency) : ''], ['createdAt', order.createdAt]];
    const table = el('table', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', {text: I18n.t(k)}), el('td', {text: v}))));
    const codes = el('ul', {id: 'order-codes'}, ...(order.codes || []).map(c => el('li', {text: c.code})));
    const timeline = el('div', {id: 'order-timeline'});
    const decisions = el('div', {id: 'order-decisions'});
    detail.replaceChildren(el('h2', {text: I18n.t('orderDetail')}), table, el('h3', {text: I18n.t('codes')}), codes,
      el('h3', {text: I18n.t('timeline')}), timeline, el('h3', {text: I18n.t('riskDecisions')}), decisions);
    const id = encodeURIComponent(order.orderId);
    api('GET', `/admin/v1/orders/${id}/timeline`).then(t => timeline.replaceChildren(el('table', {},
      ...t.events.map(e => el('tr', {'data-kind': e.kind}, el('td', {class: 'muted', text: e.at}),
        el('td', {}, el('span', {class: 'badge', text: e.kind})), el('td', {text: e.status || ''}),
        el('td', {text: e.actor || ''}), el('td', {text: e.detail || ''}))))))
      .catch(e => timeline.replaceChildren(el('p', {class: 'muted', text: e.message})));
    api('GET', `/admin/v1/risk/decisions?orderId=${id}`).then(d => decisions.replaceChildren(d.decisions.length
      ? decisionTable(d.decisions) : el('p', {class: 'muted', text: I18n.t('none')})))
      .catch(e => decisions.replaceChildren(el('p', {class: 'muted', text: e.message})));
    if (order.status === 'DELIVERED' && can('REVIEW_WRITE')) {
      const reason = el('input', {id: 'refund-reason', placeholder: I18n.t('refundReason')});
      const error = el('span', {class: 'field-error', id: 'refund-error'});
      detail.appendChild(el('div', {class: 'row'}, reason, el('button', {class: 'danger', id: 'refund', text: I18n.t('refund'),
        onclick: async () => {
          if (!await confirmAction(I18n.t('confirmRefund', order.orderId))) return;
          try {
            showOrder(detail, await api('POST', `/admin/v1/orders/${encodeURIComponent(order.orderId)}/refund`,
              {reason: reason.value}));
          } catch (e) { error.textContent = e.message; }
        }}), error));
    }
  }

  function decisionTable(decisions) {
    return el('table', {class: 'decisions'}, el('tr', {}, ...['at', 'orderId', 'decision', 'reason', 'rulesVersionShort']
      .map(h => el('th', {text: I18n.t(h)}))), ...decisions.map(d => el('tr', {}, el('td', {class: 'muted', text: d.decidedAt}),
      el('td', {text: d.orderId}), el('td', {}, el('span', {class: 'badge ' + (d.decision === 'ALLOW' ? 'good' : 'bad'),
        text: d.decision})), el('td', {text: d.reason || ''}), el('td', {text: String(d.ruleVersion)}))));
  }

  /** A code's life, the code typed here and sent in a body (never in a URL); shown masked. */
  function codeTrace() {
    return form('trace', 'codeTrace', [field('trace-code', 'code', {required: '', autocomplete: 'off'})], 'lookUp',
      async result => {
        const trace = await api('POST', '/admin/v1/codes/trace', {code: $('trace-code').value});
        $('trace-code').value = '';
        result.replaceChildren(el('p', {id: 'trace-summary', text: `${trace.code} · ${trace.skuId} · ${trace.batchId}`}),
          el('table', {id: 'trace-events'}, ...trace.events.map(e => el('tr', {'data-kind': e.kind},
            el('td', {class: 'muted', text: e.at || ''}), el('td', {}, el('span', {class: 'badge', text: e.kind})),
            el('td', {text: [e.orderId, e.channelId, e.buyerId, e.verifierId, e.actor, e.place].filter(Boolean).join(' · ')}),
            el('td', {text: e.amount ? money(e.amount.amount, e.amount.currency) : ''}),
            el('td', {text: e.detail || ''})))));
      });
  }

  // ---- review queue ----
  async function reviews(view) {
    const section = el('section', {class: 'card', id: 'review-list'}, el('h2', {text: I18n.t('reviews')}));
    view.appendChild(section);
    let queue;
    try {
      queue = await api('GET', '/admin/v1/reviews');
    } catch (e) {
      section.appendChild(el('p', {class: 'muted', text: e.message}));
      return;
    }
    if (!queue.orders.length) {
      section.appendChild(el('p', {class: 'muted', text: I18n.t('emptyQueue')}));
      return;
    }
    section.appendChild(el('table', {}, ...queue.orders.map(entry => {
      const outcome = el('span', {class: 'field-error'});
      const act = (path, body, confirmKey) => async () => {
        if (!await confirmAction(I18n.t(confirmKey, entry.orderId))) return;
        try {
          const order = await api('POST', `/admin/v1/orders/${encodeURIComponent(entry.orderId)}/${path}`, body);
          outcome.className = 'badge good';
          outcome.textContent = order.status;
          actions.replaceChildren(outcome);
        } catch (e) { outcome.textContent = e.message; }
      };
      const actions = el('td', {}, outcome);
      // Held by risk control: approve or reject. A top-up no supplier would decide: settle it as the
      // supplier's own records say (topped up, or not: then the charge is refunded).
      if (can('REVIEW_WRITE')) {
        api('GET', '/admin/v1/orders/' + encodeURIComponent(entry.orderId)).then(order => actions.prepend(...(
          order.status === 'REVIEW' ? [
            el('button', {class: 'approve', text: I18n.t('approve'), onclick: act('approve', undefined, 'confirmApprove')}), ' ',
            el('button', {class: 'danger reject', text: I18n.t('reject'), onclick: act('reject', undefined, 'confirmReject')}), ' ']
          : order.status === 'PROCESSING' ? [
            el('button', {class: 'settle-delivered', text: I18n.t('settleDelivered'),
              onclick: act('resolve', {status: 'DELIVERED'}, 'confirmSettleDelivered')}), ' ',
            el('button', {class: 'danger settle-failed', text: I18n.t('settleFailed'),
              onclick: act('resolve', {status: 'FAILED'}, 'confirmSettleFailed')}), ' ']
          : []))).catch(e => { outcome.textContent = e.message; });
      }
      return el('tr', {'data-order': entry.orderId}, el('td', {text: entry.orderId}), el('td', {text: entry.reason}),
        el('td', {text: entry.openedAt}), actions);
    })));
  }


  // ---- forms: every field with its own error line; a problem goes next to the field it names ----
  function field(id, labelKey, attrs) {
    const input = attrs && attrs.options
      ? el('select', {id}, ...attrs.options.map(o => el('option', {value: o, text: o})))
      : el('input', Object.assign({id}, attrs || {}));
    return el('label', {class: 'field', for: id}, el('span', {text: I18n.t(labelKey)}), input,
      el('span', {class: 'field-error', id: id + '-error'}));
  }

  /** What a form needs the role to have; a role without it sees the form's title and why not. */
  const FORM_PERMISSION = {'new-sku': 'CATALOG_WRITE', 'edit-sku': 'CATALOG_WRITE', 'import': 'INVENTORY_WRITE',
    'new-channel': 'CHANNEL_WRITE', 'price': 'CHANNEL_WRITE', 'deposit': 'FINANCE_WRITE', 'list-entry': 'RISK_WRITE',
    'new-token': 'TOKEN_ADMIN', 'new-supplier': 'SUPPLIER_WRITE', 'new-verifier': 'CHANNEL_WRITE', 'sales': 'REPORT_READ', 'settlement': 'REPORT_READ',
    'supplier-statement': 'REPORT_READ', 'redemptions': 'REPORT_READ', 'trace': 'REPORT_READ'};

  function form(id, titleKey, fields, buttonKey, onSubmit) {
    const general = el('p', {class: 'error', id: id + '-error'});
    const result = el('div', {class: 'result', id: id + '-result'});
    if (FORM_PERMISSION[id] && !can(FORM_PERMISSION[id])) {
      return el('form', {class: 'card', id}, el('h2', {text: I18n.t(titleKey)}),
        el('p', {class: 'muted', id: id + '-not-permitted', text: I18n.t('notPermitted')}), general, result);
    }
    const node = el('form', {class: 'card', id}, el('h2', {text: I18n.t(titleKey)}), el('div', {class: 'fields'}, ...fields),
      el('div', {class: 'row'}, el('button', {type: 'submit', text: I18n.t(buttonKey)})), general, result);
    node.addEventListener('submit', async event => {
      event.preventDefault();
      node.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; });
      general.textContent = '';
      try {
        await onSubmit(result);
      } catch (e) {
        showProblem(node, general, e);
      }
    });
    return node;
  }

  function showProblem(formNode, general, problem) {
    const text = problem.status === 403 ? I18n.t('notPermitted') : problem.message;
    const named = [...formNode.querySelectorAll('input, select, textarea')]
      .find(input => input.id && text.includes(input.id.split('-').pop()));
    const target = named && $(named.id + '-error');
    (target || general).textContent = text;
  }

  const value = id => $(id).value.trim();
  const number = id => value(id) === '' ? undefined : Number(value(id));
  const cny = amount => ({amount, currency: 'CNY'});

  // ---- catalog ----
  function catalog(view) {
    const list = card('stock', 'sku-list');
    // The list comes from the inventory projection, a moment behind the catalog: it can be asked again.
    list.querySelector('h2').after(el('button', {type: 'button', id: 'sku-list-refresh', text: I18n.t('refresh'),
      onclick: () => refreshSkus(list)}));
    view.append(
      form('new-sku', 'newSku', [field('sku-skuId', 'skuId', {required: ''}), field('sku-name', 'name', {required: ''}),
        field('sku-kind', 'kind', {options: ['CARD_CODE', 'DIRECT_TOPUP', 'BUNDLE']}),
        field('sku-faceValue', 'faceValue', {type: 'number', min: '0', required: ''}),
        field('sku-listPrice', 'listPrice', {type: 'number', min: '0', required: ''}),
        field('sku-riskLevel', 'riskLevel', {options: ['LOW', 'MEDIUM', 'HIGH']}),
        el('label', {class: 'field wide', for: 'sku-parts'}, el('span', {text: I18n.t('bundleParts')}),
          el('textarea', {id: 'sku-parts', rows: '3', spellcheck: 'false', placeholder: 'skuId,quantity[,REFUND_BUNDLE]'}),
          el('span', {class: 'field-error', id: 'sku-parts-error'}))], 'create', async result => {
        const request = {skuId: value('sku-skuId'), name: value('sku-name'),
          kind: value('sku-kind'), faceValue: cny(number('sku-faceValue')), listPrice: cny(number('sku-listPrice')),
          riskLevel: value('sku-riskLevel')};
        if (request.kind === 'BUNDLE') request.parts = bundleParts($('sku-parts').value);
        const sku = await api('POST', '/admin/v1/skus', request);
        result.replaceChildren(el('span', {class: 'badge good', text: I18n.t('created') + ': ' + sku.skuId}));
        refreshSkus(list);
      }),
      form('import', 'importCodes', [field('import-skuId', 'skuId', {required: ''}),
        field('import-supplierId', 'supplierId', {required: ''}),
        field('import-unitCost', 'unitCost', {type: 'number', min: '0', required: ''}),
        field('import-file', 'file', {type: 'file', accept: '.csv,text/csv,text/plain', required: ''}),
        el('progress', {id: 'import-progress', max: '100', value: '0'})], 'upload', async result => {
        const file = $('import-file').files[0];
        const query = new URLSearchParams({supplierId: value('import-supplierId'), unitCost: value('import-unitCost')});
        const imported = await upload(`/admin/v1/skus/${encodeURIComponent(value('import-skuId'))}/batches?${query}`, file,
          $('import-progress'));
        result.replaceChildren(
          el('p', {id: 'import-summary', text: `${I18n.t('batchId')}: ${imported.batchId} · ${I18n.t('accepted')}: ${imported.accepted}`
            + ` · ${I18n.t('duplicates')}: ${imported.duplicates} · ${I18n.t('invalidLines')}: ${imported.invalidCount}`}),
          imported.invalid.length ? el('table', {id: 'import-invalid'}, el('tr', {}, el('th', {text: I18n.t('line')}),
            el('th', {text: I18n.t('reason')})), ...imported.invalid.map(i => el('tr', {}, el('td', {text: String(i.line)}),
            el('td', {text: i.reason})))) : el('span'));
        refreshSkus(list);
      }),
      skuEdit(),
      form('batch', 'freeze', [field('batch-skuId', 'skuId', {required: ''}), field('batch-batchId', 'batchId', {required: ''})],
        'lookUp', async result => showBatch(result, await api('GET', batchPath()))),
      list);
    refreshSkus(list);
  }

  /**
   * A bundle's parts, one per line: skuId,quantity[,REFUND_PART|REFUND_BUNDLE] (the last for a top-up
   * part: what its failure refunds); a malformed line is refused here with its number.
   */
  function bundleParts(text) {
    return text.split('\n').map(l => l.trim()).filter(Boolean).map((l, i) => {
      const [skuId, quantity, onFailure, more] = l.split(',').map(p => p.trim());
      if (!skuId || !/^\d+$/.test(quantity || '') || more !== undefined
          || (onFailure !== undefined && !['REFUND_PART', 'REFUND_BUNDLE'].includes(onFailure))) {
        throw new Problem(400, {detail: I18n.t('badPartLine', i + 1)});
      }
      return onFailure ? {skuId, quantity: Number(quantity), onFailure} : {skuId, quantity: Number(quantity)};
    });
  }

  const batchPath = () => `/admin/v1/skus/${encodeURIComponent(value('batch-skuId'))}/batches/${encodeURIComponent(value('batch-batchId'))}`;

  function showBatch(result, batch) {
    const action = batch.frozen ? 'unfreeze' : 'freeze';
    result.replaceChildren(el('p', {id: 'batch-counts', text: `${batch.batchId}: ${I18n.t('accepted')} ${batch.accepted}, `
      + `available ${batch.available}, allocated ${batch.allocated}`
      + (batch.expired ? ` · ${I18n.t('expired')} ${batch.expired}` : '') + (batch.frozen ? ` · ${I18n.t('frozen')}` : '')}),
      ...(can('INVENTORY_WRITE') ? [el('button', {type: 'button', class: 'danger', id: 'batch-action', text: I18n.t(action),
        onclick: async () => {
          if (action === 'freeze' && !await confirmAction(I18n.t('confirmFreeze', batch.batchId))) return;
          try {
            showBatch(result, await api('POST', batchPath() + '/' + action));
          } catch (e) { result.appendChild(el('p', {class: 'error', text: e.message})); }
        }})] : []));
  }

  async function refreshSkus(list) {
    const body = list.querySelector('.body');
    try {
      const inventory = await api('GET', '/admin/v1/reports/inventory');
      // Each SKU with its batches and their counts under it; a batch's id picks it for freezing.
      body.replaceChildren(el('table', {id: 'sku-rows'}, el('tr', {}, ...['skuId', 'name', 'kind', 'stock', 'batches']
        .map(h => el('th', {text: I18n.t(h)}))), ...inventory.skus.map(s => el('tr', {'data-sku': s.skuId},
        el('td', {text: s.skuId}), el('td', {text: s.name || ''}), el('td', {text: s.kind || ''}),
        s.kind === 'BUNDLE' ? bundleStock(s.skuId) : el('td', {text: `${s.available} / ${s.allocated} / ${s.frozen}`}),
        el('td', {}, ...(s.batches || []).map(b => el('div', {class: 'batch', 'data-batch': b.batchId},
          el('button', {type: 'button', class: 'link', text: b.batchId, onclick: () => {
            $('batch-skuId').value = s.skuId;
            $('batch-batchId').value = b.batchId;
            $('batch').requestSubmit();
          }}),
          ` ${I18n.t('units')} ${b.units} · ${I18n.t('allocated')} ${b.allocated}`
            + (b.expired ? ` · ${I18n.t('expired')} ${b.expired}` : '') + (b.frozen ? ` · ${I18n.t('frozen')}` : ''))))))));
    } catch (e) {
      body.replaceChildren(el('p', {class: 'muted', text: e.status === 403 ? I18n.t('notPermitted') : e.message}));
    }
  }

  /** A bundle holds no stock of its own: the whole bundles its parts make now, and what it is made of. */
  function bundleStock(skuId) {
    const cell = el('td', {class: 'bundle-stock'});
    api('GET', '/admin/v1/skus/' + encodeURIComponent(skuId)).then(sku => {
      cell.textContent = `${sku.stock.available} ${I18n.t('bundlesFromParts')}: `
        + sku.parts.map(p => `${p.skuId} × ${p.quantity}` + (p.onFailure ? ` (${p.onFailure})` : '')).join(', ');
    }).catch(e => { cell.textContent = e.message; });
    return cell;
  }

  /** A file sent as the request body, its progress shown as it goes (fetch cannot report upload progress). */
  function upload(path, file, progress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('Authorization', 'Bearer ' + state.token);
      xhr.setRequestHeader('Content-Type', 'text/csv');
      xhr.upload.onprogress = e => { if (e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total); };
      xhr.onload = () => {
        const json = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        if (xhr.status >= 200 && xhr.status < 300) {
          progress.value = 100;
          resolve(json);
        } else {
          reject(new Problem(xhr.status, json));
        }
      };
      xhr.onerror = () => reject(new Problem(0, {detail: I18n.t('unavailable')}));
      xhr.send(file);
    });
  }

  // ---- channels ----
  function channels(view) {
    view.append(
      form('new-channel', 'newChannel', [field('channel-channelId', 'channelId', {required: ''}),
        field('channel-name', 'name', {required: ''}), field('channel-parentChannelId', 'parentChannelId')], 'create',
      async result => {
        const body = {channelId: value('channel-channelId'), name: value('channel-name')};
        if (value('channel-parentChannelId')) body.parentChannelId = value('channel-parentChannelId');
        const created = await api('POST', '/admin/v1/channels', body);
        const secret = el('code', {id: 'channel-secret', text: created.apiSecret});
        const copied = el('span', {class: 'muted'});
        result.replaceChildren(el('p', {text: 'apiKey: ' + created.apiKey}), el('p', {text: I18n.t('secretOnce')}),
          el('div', {class: 'row'}, secret, el('button', {type: 'button', id: 'copy-secret', text: I18n.t('copy'),
            onclick: async () => {
              try { await navigator.clipboard.writeText(created.apiSecret); copied.textContent = I18n.t('copied'); }
              catch (e) { window.getSelection().selectAllChildren(secret); }
            }}), copied));
      }),
      form('deposit', 'deposit', [field('deposit-channelId', 'channelId', {required: ''}),
        field('deposit-amount', 'depositAmount', {type: 'number', min: '1', required: ''}),
        field('deposit-reference', 'reference', {required: ''})], 'deposit', async result => {
        const done = await api('POST', `/admin/v1/channels/${encodeURIComponent(value('deposit-channelId'))}/deposits`,
          {amount: cny(number('deposit-amount')), reference: value('deposit-reference')});
        result.replaceChildren(el('p', {id: 'deposit-balance', text: I18n.t('balance') + ': '
          + money(done.balance.amount, done.balance.currency)}));
      }),
      form('price', 'setPrice', [field('price-channelId', 'channelId', {required: ''}),
        field('price-skuId', 'skuId', {required: ''}), field('price-price', 'price', {type: 'number', min: '0', required: ''}),
        field('price-quota', 'quota', {type: 'number', min: '0'})], 'save', async result => {
        const body = {price: cny(number('price-price'))};
        if (number('price-quota') !== undefined) body.quota = number('price-quota');
        await api('PUT', `/admin/v1/channels/${encodeURIComponent(value('price-channelId'))}/prices/${encodeURIComponent(value('price-skuId'))}`, body);
        result.replaceChildren(el('span', {class: 'badge good', text: I18n.t('done')}));
      }),
      form('channel-lookup', 'channelLookup', [field('lookup-channelId', 'channelId', {required: ''})], 'lookUp',
        async result => {
          const id = encodeURIComponent(value('lookup-channelId'));
          const channel = await api('GET', '/admin/v1/channels/' + id);
          const statement = el('div', {id: 'channel-statement'});
          const parked = el('div', {id: 'channel-parked'});
          result.replaceChildren(el('pre', {id: 'channel-detail', text: JSON.stringify(channel, null, 2)}),
            el('h3', {text: I18n.t('statement')}), statement, el('h3', {text: I18n.t('parkedCallbacks')}), parked);
          const from = new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Shanghai'}).format(new Date(Date.now() - 30 * 864e5));
          api('GET', `/admin/v1/reports/accounts/${id}/statement?from=${from}&to=${today()}&limit=100`).then(s =>
            statement.replaceChildren(el('table', {}, el('tr', {}, ...['at', 'kind', 'reference', 'skuId', 'units', 'amount',
              'balance'].map(h => el('th', {text: I18n.t(h)}))), ...((s.page && s.page.rows) || []).map(l => el('tr', {},
              el('td', {text: l.at}), el('td', {text: l.kind}), el('td', {text: l.reference || ''}),
              el('td', {text: l.skuId || ''}), el('td', {text: l.units == null ? '' : String(l.units)}),
              el('td', {text: money(l.amount)}), el('td', {text: money(l.balance)}))))))
            .catch(e => statement.replaceChildren(el('p', {class: 'muted', text: e.status === 403 ? I18n.t('notPermitted') : e.message})));
          showParked(parked, id);
        }),
      verifierForm());
    view.prepend(channelTree());
  }

  /**
   * Verifiers (核销方) are partners with signed credentials too: registered here, scoped to SKUs
   * and/or suppliers (none: every code), the secret shown once; the list below never shows one.
   */
  function verifierForm() {
    const list = el('div', {id: 'verifier-list'});
    const ids = id => value(id).split(',').map(v => v.trim()).filter(Boolean);
    const refresh = () => api('GET', '/admin/v1/verifiers').then(all => list.replaceChildren(el('table', {},
      el('tr', {}, ...['verifierId', 'name', 'skuId', 'supplierId', 'createdBy'].map(h => el('th', {text: I18n.t(h)}))),
      ...all.verifiers.map(v => el('tr', {}, el('td', {text: v.verifierId}), el('td', {text: v.name}),
        el('td', {text: v.skuIds.join(', ') || I18n.t('any')}), el('td', {text: (v.supplierIds || []).join(', ')
          || I18n.t('any')}), el('td', {text: v.createdBy || ''}))))))
      .catch(e => list.replaceChildren(el('p', {class: 'muted', text: e.message})));
    const node = form('new-verifier', 'newVerifier', [field('verifier-verifierId', 'verifierId', {required: ''}),
      field('verifier-name', 'name', {required: ''}), field('verifier-skuIds', 'skuIds'),
      field('verifier-supplierIds', 'supplierIds')], 'create', async result => {
      const created = await api('POST', '/admin/v1/verifiers', {verifierId: value('verifier-verifierId'),
        name: value('verifier-name'), skuIds: ids('verifier-skuIds'), supplierIds: ids('verifier-supplierIds')});
      result.replaceChildren(el('p', {text: 'apiKey: ' + created.apiKey}), el('p', {text: I18n.t('secretOnce')}),
        el('code', {id: 'verifier-secret', text: created.apiSecret}));
      refresh();
    });
    node.append(el('h3', {text: I18n.t('verifiers')}), list);
    refresh();
    return node;
  }

  /** The channel tree as the accounts projection has it (a new channel shows up within seconds). */
  function channelTree() {
    const section = card('channelTree', 'channel-tree');
    const body = section.querySelector('.body');
    const refresh = () => api('GET', '/admin/v1/channels').then(tree => body.replaceChildren(tree.channels.length
      ? el('table', {id: 'channel-rows'}, el('tr', {}, ...['channelId', 'name', 'balance'].map(h => el('th', {text: I18n.t(h)}))),
        ...tree.channels.map(c => {
          const name = el('td', {}, el('button', {class: 'link', text: c.channelId, onclick: () => {
            $('lookup-channelId').value = c.channelId;
            $('channel-lookup').requestSubmit();
          }}));
          // Indented by depth; set through the DOM, as the CSP allows no inline style.
          name.style.paddingLeft = (c.depth - 1) * 1.5 + 'em';
          return el('tr', {'data-channel': c.channelId, 'data-depth': String(c.depth)}, name, el('td', {text: c.name || ''}),
            el('td', {text: money(c.balance, c.currency)}));
        }))
      : el('p', {class: 'muted', text: I18n.t('none')})))
      .catch(e => body.replaceChildren(el('p', {class: 'muted', text: e.message})));
    section.querySelector('h2').appendChild(el('button', {class: 'link', id: 'channel-tree-refresh', text: I18n.t('reload'),
      onclick: refresh}));
    refresh();
    return section;
  }

  // ---- risk rules: edited whole, saved against the version read ----
  async function risk(view) {
    const heading = el('h2', {id: 'rules-version'});
    const editor = el('textarea', {id: 'rules-editor', rows: '18', spellcheck: 'false'});
    const message = el('p', {class: 'error', id: 'rules-message'});
    const current = el('pre', {id: 'rules-current', hidden: ''});
    const section = el('section', {class: 'card'}, heading, editor, el('div', {class: 'row'},
      ...(can('RISK_WRITE') ? [el('button', {id: 'rules-save', text: I18n.t('save'), onclick: save})] : []),
      el('button', {class: 'link', id: 'rules-reload', text: I18n.t('reload'), onclick: load})), message, current);
    view.appendChild(section);
    let version = 0;

    async function load() {
      const set = await api('GET', '/admin/v1/risk/rules');
      version = set.version;
      heading.textContent = I18n.t('rulesVersion', version);
      editor.value = JSON.stringify({rules: set.rules, onTimeout: set.onTimeout, redemption: set.redemption}, null, 2);
      message.textContent = '';
      current.hidden = true;
    }

    async function save() {
      message.className = 'error';
      let edited;
      try {
        edited = JSON.parse(editor.value);
      } catch (e) {
        message.textContent = e.message;
        return;
      }
      if (!await confirmAction(I18n.t('confirmSaveRules'))) return;
      try {
        const set = await api('PUT', '/admin/v1/risk/rules', {expectedVersion: version, rules: edited.rules,
          onTimeout: edited.onTimeout, redemption: edited.redemption});
        version = set.version;
        heading.textContent = I18n.t('rulesVersion', version);
        message.className = 'badge good';
        message.textContent = I18n.t('saved', version);
        current.hidden = true;
      } catch (e) {
        if (e.status !== 409) {
          message.textContent = e.status === 403 ? I18n.t('notPermitted') : e.message;
          return;
        }
        // Not lost: the edit stays in the editor; the rules as they are now are shown beside it,
        // and the next save is against their version.
        const set = await api('GET', '/admin/v1/risk/rules');
        version = set.version;
        heading.textContent = I18n.t('rulesVersion', version);
        message.textContent = I18n.t('versionConflict', version);
        current.hidden = false;
        current.textContent = I18n.t('currentRules') + ':\n' + JSON.stringify({rules: set.rules, onTimeout: set.onTimeout, redemption: set.redemption}, null, 2);
      }
    }

    view.append(riskLists(), subjectLookup());
    try { await load(); } catch (e) { message.textContent = e.message; }
  }

  /** Block and allow lists: every live entry, added and removed one at a time. */
  function riskLists() {
    const table = el('div', {id: 'list-entries'});
    async function refresh() {
      try {
        const lists = await api('GET', '/admin/v1/risk/lists');
        table.replaceChildren(lists.entries.length ? el('table', {}, el('tr', {}, ...['list', 'subjectKind', 'value',
          'expiresAt', 'reason', ''].map(h => el('th', {text: h ? I18n.t(h) : ''}))), ...lists.entries.map(entry =>
          el('tr', {'data-entry': entry.value}, el('td', {}, el('span', {class: 'badge ' + (entry.list === 'BLOCK' ? 'bad' : 'good'),
            text: entry.list})), el('td', {text: entry.subject}), el('td', {text: entry.value}),
            el('td', {text: entry.expiresAt || ''}), el('td', {text: entry.reason || ''}),
            el('td', {}, el('button', {type: 'button', class: 'danger', text: I18n.t('remove'), onclick: async () => {
              if (!await confirmAction(I18n.t('confirmRemoveEntry', entry.value))) return;
              try { await api('DELETE', '/admin/v1/risk/lists/' + encodeURIComponent(entry.entryId)); refresh(); }
              catch (e) { table.appendChild(el('p', {class: 'error', text: e.status === 403 ? I18n.t('notPermitted') : e.message})); }
            }})))))
          : el('p', {class: 'muted', text: I18n.t('none')}));
      } catch (e) { table.replaceChildren(el('p', {class: 'muted', text: e.message})); }
    }
    const section = form('list-entry', 'riskLists', [field('entry-list', 'list', {options: ['BLOCK', 'ALLOW']}),
      field('entry-subject', 'subjectKind', {options: ['BUYER', 'IP', 'DEVICE', 'RECHARGE_ACCOUNT']}),
      field('entry-value', 'value', {required: ''}), field('entry-reason', 'reason')], 'add', async result => {
      const body = {list: value('entry-list'), subject: value('entry-subject'), value: value('entry-value')};
      if (value('entry-reason')) body.reason = value('entry-reason');
      await api('POST', '/admin/v1/risk/lists', body);
      result.replaceChildren(el('span', {class: 'badge good', text: I18n.t('done')}));
      refresh();
    });
    section.appendChild(table);
    refresh();
    return section;
  }

  /** A subject's profile (counts per window, block) and the decisions that hit it; a block lifted here. */
  function subjectLookup() {
    return form('subject', 'subjectProfile', [field('subject-subject', 'subject', {required: '',
      placeholder: 'buyer:channelId/userId · ip:1.2.3.4 · device:id · account:value'})], 'lookUp', async result => {
      const show = info => {
        const blocked = info.profile && info.profile.blockedUntil;
        result.replaceChildren(
          blocked ? el('p', {}, el('span', {class: 'badge bad', id: 'subject-blocked', text: I18n.t('blockedUntil', info.profile.blockedUntil)}),
            ' ', info.profile.blockReason || '', ' ', el('button', {type: 'button', class: 'danger', id: 'subject-unblock',
              text: I18n.t('unblock'), onclick: async () => {
                if (!await confirmAction(I18n.t('confirmUnblock', info.profile.subject))) return;
                try { show(await api('POST', '/admin/v1/risk/unblock', {subject: value('subject-subject')})); }
                catch (e) { result.appendChild(el('p', {class: 'error', text: e.status === 403 ? I18n.t('notPermitted') : e.message})); }
              }}))
            : el('p', {}, el('span', {class: 'badge good', id: 'subject-blocked', text: I18n.t('notBlocked')})),
          el('pre', {id: 'subject-profile', text: JSON.stringify(info.profile, null, 2)}),
          el('h3', {text: I18n.t('riskDecisions')}),
          info.decisions.length ? decisionTable(info.decisions) : el('p', {class: 'muted', text: I18n.t('none')}));
      };
      show(await api('GET', '/admin/v1/risk/subjects?' + new URLSearchParams({subject: value('subject-subject')})));
    });
  }

  // ---- reports: sales over a range, CSV download, ledger check ----
  function reports(view) {
    const result = el('div', {id: 'sales-result'});
    const salesForm = form('sales', 'sales', [field('sales-from', 'from', {type: 'date', value: today()}),
      field('sales-to', 'to', {type: 'date', value: today()}),
      field('sales-groupBy', 'groupBy', {options: ['sku', 'channel', 'day', 'day,sku,channel']})], 'search', async () => {
      const sales = await api('GET', '/admin/v1/reports/sales?' + salesQuery());
      const chart = el('div');
      Charts.bars(chart, sales.lines.map(l => ({label: [l.day, l.skuId, l.channelId].filter(Boolean).join(' '),
        value: l.revenue})), v => money(v));
      result.replaceChildren(chart, el('table', {id: 'sales-rows'},
        el('tr', {}, ...['skuId', 'channelId', 'orderCount', 'units', 'revenue', 'cost', 'margin'].map(h => el('th', {text: I18n.t(h)}))),
        ...sales.lines.map(l => el('tr', {}, el('td', {text: l.skuId || ''}), el('td', {text: l.channelId || ''}),
          el('td', {text: String(l.orders)}), el('td', {text: String(l.units)}), el('td', {text: money(l.revenue)}),
          el('td', {text: money(l.cost)}), el('td', {text: money(l.margin)})))),
        el('button', {type: 'button', id: 'sales-csv', text: I18n.t('downloadCsv'), onclick: () =>
          download('/admin/v1/reports/sales?' + salesQuery() + '&format=csv', 'sales.csv')}));
    });
    salesForm.appendChild(result);
    const ledger = card('ledgerCheck', 'ledger');
    view.append(salesForm, settlementForm(), supplierStatementForm(), redemptionsForm(), ledger);
    api('GET', '/admin/v1/reports/ledger-check').then(check => ledger.querySelector('.body').replaceChildren(
      el('span', {id: 'ledger-state', class: 'badge ' + (check.consistent ? 'good' : 'bad'),
        text: I18n.t(check.consistent ? 'consistent' : 'inconsistent')}),
      el('pre', {text: JSON.stringify(check.differences || [], null, 2)})))
      .catch(e => ledger.querySelector('.body').replaceChildren(el('p', {class: 'muted',
        text: e.status === 403 ? I18n.t('notPermitted') : e.message})));
  }

  /** A channel's commission from its sub-channels' orders, per period, with every line as CSV. */
  function settlementForm() {
    const query = () => new URLSearchParams({from: value('settle-from'), to: value('settle-to'),
      period: value('settle-period')}).toString();
    const path = () => `/admin/v1/reports/settlements/${encodeURIComponent(value('settle-channelId'))}?${query()}`;
    return form('settlement', 'settlement', [field('settle-channelId', 'channelId', {required: ''}),
      field('settle-from', 'from', {type: 'date', value: today()}), field('settle-to', 'to', {type: 'date', value: today()}),
      field('settle-period', 'period', {options: ['day', 'week', 'month']})], 'search', async result => {
      const s = await api('GET', path());
      result.replaceChildren(el('p', {id: 'settlement-totals', text: [['opening', s.opening], ['accruals', s.accruals],
        ['reversals', s.reversals], ['closing', s.closing]].map(([k, v]) => I18n.t(k) + ' ' + money(v, s.currency)).join(' · ')}),
        el('table', {id: 'settlement-rows'}, el('tr', {}, ...['from', 'to', 'opening', 'accruals', 'reversals', 'closing']
          .map(h => el('th', {text: I18n.t(h)}))), ...s.periods.map(p => el('tr', {}, el('td', {text: p.start}),
          el('td', {text: p.end}), ...[p.opening, p.accruals, p.reversals, p.closing].map(v => el('td', {text: money(v)}))))),
        el('button', {type: 'button', id: 'settlement-csv', text: I18n.t('downloadCsv'), onclick: () =>
          download(path() + '&format=csv', 'settlement.csv')}));
    });
  }

  /** Top-ups per supplier and day, and the code batches bought, over a range. */
  function supplierStatementForm() {
    const query = () => {
      const q = new URLSearchParams({from: value('supst-from'), to: value('supst-to')});
      if (value('supst-supplierId')) q.set('supplierId', value('supst-supplierId'));
      return q.toString();
    };
    return form('supplier-statement', 'supplierStatement', [field('supst-supplierId', 'supplierIdOptional'),
      field('supst-from', 'from', {type: 'date', value: today()}), field('supst-to', 'to', {type: 'date', value: today()})],
      'search', async result => {
        const s = await api('GET', '/admin/v1/reports/suppliers?' + query());
        result.replaceChildren(el('table', {id: 'supplier-days'}, el('tr', {}, ...['day', 'supplierId', 'submitted',
          'succeeded', 'failed', 'undecided', 'cost'].map(h => el('th', {text: I18n.t(h)}))), ...s.days.map(d => el('tr', {},
          el('td', {text: d.day}), el('td', {text: d.supplierId}), el('td', {text: String(d.submitted)}),
          el('td', {text: String(d.succeeded)}), el('td', {text: String(d.failed)}), el('td', {text: String(d.undecided)}),
          el('td', {text: money(d.cost)})))),
          el('h3', {text: I18n.t('batchesImported')}), el('table', {id: 'supplier-batches'}, el('tr', {}, ...['batchId',
            'skuId', 'supplierId', 'units', 'unitCost'].map(h => el('th', {text: I18n.t(h)}))), ...s.batchesImported.map(b =>
            el('tr', {}, el('td', {text: b.batchId}), el('td', {text: b.skuId || ''}), el('td', {text: b.supplierId || ''}),
              el('td', {text: String(b.units)}), el('td', {text: money(b.unitCost)})))),
          el('button', {type: 'button', id: 'supplier-csv', text: I18n.t('downloadCsv'), onclick: () =>
            download('/admin/v1/reports/suppliers?' + query() + '&format=csv', 'suppliers.csv')}));
      });
  }

  /** Codes delivered in a range and what became of them; a batch's redemptions when one is named. */
  function redemptionsForm() {
    const query = () => {
      const q = new URLSearchParams({from: value('redeem-from'), to: value('redeem-to')});
      if (value('redeem-skuId')) q.set('skuId', value('redeem-skuId'));
      if (value('redeem-batchId')) q.set('batchId', value('redeem-batchId'));
      return q.toString();
    };
    return form('redemptions', 'redemptionReport', [field('redeem-from', 'from', {type: 'date', value: today()}),
      field('redeem-to', 'to', {type: 'date', value: today()}), field('redeem-skuId', 'skuIdOptional'),
      field('redeem-batchId', 'batchIdOptional')], 'search', async result => {
      const r = await api('GET', '/admin/v1/reports/redemptions?' + query());
      result.replaceChildren(el('table', {id: 'redemption-lines'}, el('tr', {}, ...['skuId', 'batchId', 'channelId',
        'delivered', 'redeemed', 'rate', 'amountRedeemed', 'averageSecondsToRedeem'].map(h => el('th', {text: I18n.t(h)}))),
        ...r.lines.map(l => el('tr', {}, el('td', {text: l.skuId}), el('td', {text: l.batchId}), el('td', {text: l.channelId}),
          el('td', {text: String(l.delivered)}), el('td', {text: String(l.redeemed)}),
          el('td', {text: (100 * l.rate).toFixed(1) + ' %'}), el('td', {text: money(l.amountRedeemed, l.currency)}),
          el('td', {text: l.averageSecondsToRedeem == null ? '' : l.averageSecondsToRedeem + ' s'})))),
        ...(r.redemptions ? [el('h3', {text: I18n.t('redemptionsOfBatch')}), el('table', {id: 'batch-redemptions'},
          ...r.redemptions.map(e => el('tr', {}, el('td', {class: 'muted', text: e.redeemedAt}), el('td', {text: e.orderId}),
            el('td', {text: e.verifierId}), el('td', {text: e.place || ''}), el('td', {text: money(e.amount, e.currency)}))))]
          : []),
        el('button', {type: 'button', id: 'redemptions-csv', text: I18n.t('downloadCsv'), onclick: () =>
          download('/admin/v1/reports/redemptions?' + query() + '&format=csv', 'redemptions.csv')}));
    });
  }

  const salesQuery = () => new URLSearchParams({from: value('sales-from'), to: value('sales-to'),
    groupBy: value('sales-groupBy')}).toString();

  /** A CSV the API streams, saved by the browser: a link cannot carry the token, so it is fetched. */
  async function download(path, name) {
    const response = await fetch(path, {headers: {'Authorization': 'Bearer ' + state.token}});
    if (!response.ok) throw new Problem(response.status, await response.json().catch(() => null));
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', {href: url, download: name, id: 'download-link'});
    document.body.appendChild(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(url); link.remove(); }, 1000);
  }

  // ---- projections: lag, pause, resume, rebuild ----
  async function projections(view) {
    const section = card('projections', 'projection-list');
    view.appendChild(section);
    const body = section.querySelector('.body');
    async function refresh() {
      try {
        const all = await api('GET', '/admin/v1/projections');
        body.replaceChildren(el('table', {}, ...all.projections.map(p => {
          const paused = p.instances.some(i => i.paused);
          const lag = Math.max(0, ...p.instances.map(i => i.lagMillis));
          const events = p.instances.reduce((n, i) => n + i.events, 0);
          const action = (name, confirmKey) => el('button', {class: name === 'rebuild' ? 'danger' : '',
            'data-action': name, text: I18n.t(name), onclick: async () => {
              if (confirmKey && !await confirmAction(I18n.t(confirmKey, p.name))) return;
              try {
                await api('POST', `/admin/v1/projections/${p.name}/${name}`);
                refresh();
              } catch (e) { body.appendChild(el('p', {class: 'error', text: e.status === 403 ? I18n.t('notPermitted') : e.message})); }
            }});
          return el('tr', {'data-projection': p.name}, el('td', {text: p.name}),
            el('td', {}, el('span', {class: 'badge ' + (paused ? 'bad' : 'good'), text: I18n.t(paused ? 'paused' : 'running')})),
            el('td', {text: (lag / 1000).toFixed(1) + ' s'}), el('td', {text: I18n.t('events') + ' ' + events}),
            el('td', {}, ...(can('PROJECTION_ADMIN')
              ? [paused ? action('resume') : action('pause', 'confirmPause'), ' ', action('rebuild', 'confirmRebuild')]
              : [])));
        })));
      } catch (e) {
        body.replaceChildren(el('p', {class: 'muted', text: e.status === 403 ? I18n.t('notPermitted') : e.message}));
      }
    }
    refresh();
  }

  // ---- admin tokens ----
  function tokens(view) {
    const list = card('tokens', 'token-list');
    async function refresh() {
      const body = list.querySelector('.body');
      try {
        const all = await api('GET', '/admin/v1/tokens');
        body.replaceChildren(el('table', {}, el('tr', {}, ...['name', 'role', 'issuedAt', 'issuedBy', ''].map(h =>
          el('th', {text: h ? I18n.t(h) : ''}))), ...all.tokens.map(t => el('tr', {'data-token': t.name},
          el('td', {text: t.name}), el('td', {text: t.role}), el('td', {text: t.issuedAt || ''}),
          el('td', {text: t.issuedBy || ''}), el('td', {}, el('button', {class: 'danger', text: I18n.t('revoke'),
            onclick: async () => {
              if (!await confirmAction(I18n.t('confirmRevoke', t.name))) return;
              try { await api('DELETE', '/admin/v1/tokens/' + encodeURIComponent(t.name)); refresh(); }
              catch (e) { body.appendChild(el('p', {class: 'error', text: e.message})); }
            }}))))));
      } catch (e) {
        body.replaceChildren(el('p', {class: 'muted', text: e.status === 403 ? I18n.t('notPermitted') : e.message}));
      }
    }
    view.append(form('new-token', 'newToken', [field('token-name', 'name', {required: ''}),
      field('token-role', 'role', {options: ['OPERATOR', 'FINANCE', 'AUDITOR', 'ADMIN']})], 'create', async result => {
      const issued = await api('POST', '/admin/v1/tokens', {name: value('token-name'), role: value('token-role')});
      result.replaceChildren(el('p', {text: I18n.t('tokenOnce')}), el('code', {id: 'issued-token', text: issued.token}));
      refresh();
    }), list);
    refresh();
  }

  async function showParked(target, channelId) {
    try {
      const list = await api('GET', `/admin/v1/channels/${channelId}/callbacks/parked`);
      target.replaceChildren(list.callbacks.length ? el('table', {}, ...list.callbacks.map(c => el('tr', {'data-event': c.eventId},
        el('td', {text: c.orderId}), el('td', {text: c.lastError}), el('td', {text: String(c.attempts)}),
        el('td', {}, el('button', {text: I18n.t('replay'), onclick: async () => {
          try {
            await api('POST', `/admin/v1/channels/${channelId}/callbacks/${encodeURIComponent(c.eventId)}/replay`);
            showParked(target, channelId);
          } catch (e) { target.appendChild(el('p', {class: 'error', text: e.message})); }
        }}))))) : el('p', {class: 'muted', text: I18n.t('none')}));
    } catch (e) {
      target.replaceChildren(el('p', {class: 'muted', text: e.message}));
    }
  }

  // ---- suppliers: their health, registration, and each top-up SKU's route ----
  async function suppliers(view) {
    const section = card('suppliers', 'supplier-list');
    view.append(section, supplierForm(() => {
      view.replaceChildren();
      suppliers(view);
    }), routeForm());
    try {
      const list = await api('GET', '/admin/v1/suppliers');
      section.querySelector('.body').replaceChildren(list.suppliers.length ? el('table', {}, el('tr', {},
        ...['supplierId', 'name', 'endpoint', 'circuit', 'inFlight'].map(h => el('th', {text: I18n.t(h)}))),
        ...list.suppliers.map(s => el('tr', {}, el('td', {text: s.supplierId}), el('td', {text: s.name}),
          el('td', {text: s.endpoint}), el('td', {}, el('span', {class: 'badge ' + (s.health.circuit === 'CLOSED' ? 'good' : 'bad'),
            text: s.health.circuit})), el('td', {text: String(s.health.inFlight)}))))
        : el('p', {class: 'muted', text: I18n.t('none')}));
    } catch (e) {
      section.querySelector('.body').replaceChildren(el('p', {class: 'muted', text: e.message}));
    }
  }

  /** The secret goes to the API once and is sealed there; the console never shows it again. */
  function supplierForm(registered) {
    return form('new-supplier', 'newSupplier', [field('supplier-supplierId', 'supplierId', {required: ''}),
      field('supplier-name', 'name', {required: ''}), field('supplier-endpoint', 'endpoint', {required: '', type: 'url'}),
      field('supplier-apiKey', 'apiKey', {required: ''}),
      field('supplier-apiSecret', 'apiSecret', {required: '', type: 'password', autocomplete: 'off'}),
      field('supplier-timeoutMillis', 'timeoutMillis', {type: 'number', min: '100'}),
      field('supplier-maxConcurrent', 'maxConcurrent', {type: 'number', min: '1'})], 'create', async () => {
      const body = {supplierId: value('supplier-supplierId'), name: value('supplier-name'),
        endpoint: value('supplier-endpoint'), apiKey: value('supplier-apiKey'), apiSecret: $('supplier-apiSecret').value};
      if (number('supplier-timeoutMillis') !== undefined) body.timeoutMillis = number('supplier-timeoutMillis');
      if (number('supplier-maxConcurrent') !== undefined) body.maxConcurrent = number('supplier-maxConcurrent');
      await api('POST', '/admin/v1/suppliers', body);
      registered();
    });
  }

  /** A top-up SKU's suppliers in priority order, one per line: supplierId,productCode,unitCost. */
  function routeForm() {
    const lines = el('textarea', {id: 'route-lines', rows: '4', spellcheck: 'false',
      placeholder: 'supplierId,productCode,unitCost'});
    const show = route => {
      lines.value = route.route.map(r => [r.supplierId, r.productCode, r.unitCost.amount].join(',')).join('\n');
    };
    const section = form('route', 'supplierRoute', [field('route-skuId', 'skuId', {required: ''}),
      el('label', {class: 'field wide', for: 'route-lines'}, el('span', {text: I18n.t('routeLines')}), lines,
        el('span', {class: 'field-error', id: 'route-lines-error'}))], 'save', async result => {
      const route = lines.value.split('\n').map(l => l.trim()).filter(Boolean).map((l, i) => {
        const [supplierId, productCode, unitCost] = l.split(',').map(p => p.trim());
        if (!supplierId || !productCode || !/^\d+$/.test(unitCost || '')) {
          throw new Problem(400, {detail: I18n.t('badRouteLine', i + 1)});
        }
        return {supplierId, productCode, unitCost: cny(Number(unitCost))};
      });
      if (!await confirmAction(I18n.t('confirmRoute', value('route-skuId')))) return;
      show(await api('PUT', `/admin/v1/skus/${encodeURIComponent(value('route-skuId'))}/suppliers`, {route}));
      result.replaceChildren(el('span', {class: 'badge good', id: 'route-saved', text: I18n.t('done')}));
    });
    section.querySelector('.row').appendChild(el('button', {type: 'button', id: 'route-load', text: I18n.t('lookUp'),
      onclick: async () => {
        try { show(await api('GET', `/admin/v1/skus/${encodeURIComponent(value('route-skuId'))}/suppliers`)); }
        catch (e) { showProblem(section, $('route-error'), e); }
      }}));
    return section;
  }

  // ---- a SKU's listing and limits ----
  function skuEdit() {
    return form('edit-sku', 'editSku', [field('edit-skuId', 'skuId', {required: ''}),
      field('edit-status', 'status', {options: ['LISTED', 'UNLISTED']}),
      field('edit-maxPerBuyer', 'maxPerBuyer', {type: 'number', min: '0'}),
      field('edit-lowStockThreshold', 'lowStockThreshold', {type: 'number', min: '0'}),
      field('edit-listPrice', 'listPrice', {type: 'number', min: '0'})], 'save', async result => {
      const patch = {status: value('edit-status')};
      if (number('edit-maxPerBuyer') !== undefined) patch.maxPerBuyer = number('edit-maxPerBuyer');
      if (number('edit-lowStockThreshold') !== undefined) patch.lowStockThreshold = number('edit-lowStockThreshold');
      if (number('edit-listPrice') !== undefined) patch.listPrice = cny(number('edit-listPrice'));
      const sku = await api('PATCH', '/admin/v1/skus/' + encodeURIComponent(value('edit-skuId')), patch);
      result.replaceChildren(el('span', {class: 'badge good', id: 'edit-sku-status', text: sku.skuId + ': ' + sku.status}));
    });
  }

  // ---- wiring ----
  document.addEventListener('DOMContentLoaded', async () => {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    document.querySelectorAll('.lang-toggle').forEach(b => b.addEventListener('click', () => {
      I18n.toggle();
      show();
    }));
    window.addEventListener('hashchange', () => state.me && route());
    // The page already shown, chosen again: shown afresh.
    document.querySelectorAll('#nav a').forEach(a => a.addEventListener('click', () => {
      if (location.hash === a.getAttribute('href')) route();
    }));
    if (state.token) {
      try { state.me = await api('GET', '/admin/v1/me'); } catch (e) { state.token = null; }
    }
    show();
  });
})();
