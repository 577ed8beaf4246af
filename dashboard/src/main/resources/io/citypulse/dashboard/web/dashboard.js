// CityPulse big screen: fetches every panel of the page from /api/panels/NAME every few seconds
// and draws it with Apache ECharts. Each panel section carries data-state: "loading", "ok" (drawn
// from a non-empty answer), "empty" (no data yet) or "error" (ClickHouse unreachable, a refused
// parameter, a failed query); empty and error states show a message instead of a chart.
(function () {
  'use strict';

  const url = new URL(window.location.href);
  const LANG = url.searchParams.get('lang') === 'en' ? 'en' : 'zh';
  // Only these parameters are passed on; the server validates them again.
  const PASS = ['day', 'district', 'category', 'lang'];

  const TEXT = {
    zh: {
      title: '12345 城市运行大屏', kpi_today: '今日工单', kpi_vs: '较昨日同期', kpi_alerts: '未结预警',
      kpi_sla: '超时未办', kpi_fds: '一次派单成功率', heat: '各区今日工单热力（按小时）',
      tvy: '今日与昨日同期', hot: '当前热点', alerts: '未结预警', cases: '本周类案候选（每周一议）',
      slaopen: '当前超时未办（按单位）', sladay: '当日超时（按单位）', fds: '一次派单成功率（近7日，目标98%）',
      leads: '网络线索（按平台）', funnel: '线索转工单漏斗', trend: '类别趋势（近7日，前6类）',
      empty: '暂无数据', unreachable: 'ClickHouse 无法连接', failed: '查询失败', server_down: '大屏服务无法连接',
      loading: '加载中…', today: '今日', yesterday: '昨日同期', hour: '时', updated: '更新于',
      captured: '捕获', valid: '核实有效', invalid: '核实无效', converted: '转为工单',
      dispatch: '派单超时', resolution: '办结超时', still_open: '仍未办', fulfilled_late: '逾期办结',
      abandoned: '放弃', rate: '成功率', target: '目标 98%', city: '全市', score: '异常分', excess: '超额工单',
      escalated: '已升级类案', tickets: '工单', day_label: '日期',
    },
    en: {
      title: 'CityPulse 12345 city operations', kpi_today: 'Tickets today', kpi_vs: 'vs. same time yesterday',
      kpi_alerts: 'Open alerts', kpi_sla: 'SLA breaches open', kpi_fds: 'First-dispatch success',
      heat: 'Tickets today by district and hour', tvy: 'Today vs. same time yesterday', hot: 'Current hotspots',
      alerts: 'Open alerts', cases: 'Case-category candidates this week', slaopen: 'SLA breaches open now by agency',
      sladay: 'SLA breaches of the day by agency', fds: 'First-dispatch success, 7 days (target 98%)',
      leads: 'Internet leads by platform', funnel: 'Lead-to-ticket funnel', trend: 'Category trend, 7 days (top 6)',
      empty: 'No data yet', unreachable: 'ClickHouse unreachable', failed: 'Query failed',
      server_down: 'Dashboard server unreachable', loading: 'Loading…', today: 'Today', yesterday: 'Yesterday (same time)',
      hour: 'h', updated: 'Updated', captured: 'Captured', valid: 'Verified valid', invalid: 'Verified invalid',
      converted: 'Converted to tickets', dispatch: 'Dispatch', resolution: 'Resolution', still_open: 'Still open',
      fulfilled_late: 'Kept late', abandoned: 'Abandoned', rate: 'Success rate', target: 'Target 98%', city: 'City',
      score: 'Score', excess: 'Excess tickets', escalated: 'Escalated', tickets: 'Tickets', day_label: 'Day',
    },
  };
  const T = TEXT[LANG];

  const COLORS = ['#36cfff', '#ffb547', '#5fe3a1', '#ff7a6b', '#b388ff', '#f5e663', '#4f8cff', '#ff8fd1'];
  const AXIS = { axisLabel: { color: '#a9c4ea', fontSize: 13 }, axisLine: { lineStyle: { color: '#2c5a92' } },
    splitLine: { lineStyle: { color: 'rgba(44, 90, 146, 0.35)' } } };
  const BASE = { color: COLORS, animationDuration: 300, textStyle: { color: '#dce9ff' },
    tooltip: { trigger: 'axis', confine: true }, legend: { textStyle: { color: '#a9c4ea', fontSize: 13 }, top: 0 } };

  let categoryNames = {};
  let districtNames = {};

  const num = (v) => (v === null || v === undefined ? 0 : Number(v));
  const fmt = (n) => Number(n).toLocaleString(LANG === 'zh' ? 'zh-CN' : 'en-US');
  const cat = (code) => (categoryNames[code] && categoryNames[code][LANG]) || code || '–';
  const dist = (code) => {
    if (!code) return LANG === 'zh' ? '未定位' : 'Unlocated';
    return (districtNames[code] && districtNames[code][LANG]) || code;
  };
  const agencyName = (a) => (a === '(not dispatched)' ? (LANG === 'zh' ? '未派单' : 'Not dispatched') : a);
  const truncate = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const hBar = (labels, series, extra = {}) => ({
    ...BASE,
    grid: { left: 8, right: 24, top: series.length > 1 ? 28 : 8, bottom: 4, containLabel: true },
    xAxis: { type: 'value', ...AXIS },
    yAxis: { type: 'category', data: labels, inverse: true, ...AXIS, axisLabel: { ...AXIS.axisLabel, fontSize: 13 } },
    series,
    ...extra,
  });

  // Each renderer turns the rows of its panel into an ECharts option; null means "no data yet".
  const RENDER = {
    district_hourly_day(rows) {
      if (rows.length === 0) return null;
      const known = Object.keys(districtNames);
      const present = [...new Set(rows.map((r) => r.district))];
      const districts = known.filter((d) => present.includes(d)).concat(present.filter((d) => !known.includes(d)));
      const hours = [...Array(24).keys()];
      const data = rows.map((r) => [num(r.hour), districts.indexOf(r.district), num(r.created)]);
      const max = Math.max(1, ...data.map((d) => d[2]));
      return {
        ...BASE,
        tooltip: { position: 'top', formatter: (p) => `${dist(districts[p.value[1]])} ${p.value[0]}${T.hour}: ${fmt(p.value[2])}` },
        grid: { left: 8, right: 70, top: 6, bottom: 4, containLabel: true },
        xAxis: { type: 'category', data: hours.map((h) => `${h}${T.hour}`), ...AXIS, splitArea: { show: true } },
        yAxis: { type: 'category', data: districts.map(dist), ...AXIS },
        visualMap: { min: 0, max, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 200,
          textStyle: { color: '#a9c4ea' }, inRange: { color: ['#0d2b52', '#1769aa', '#36cfff', '#ffd166', '#ff5d4f'] } },
        series: [{ type: 'heatmap', data, label: { show: true, fontSize: 11, color: '#fff',
          formatter: (p) => (p.value[2] > 0 ? p.value[2] : '') } }],
      };
    },
    today_vs_yesterday(rows, answer) {
      if (rows.length === 0) return null;
      const today = rows.reduce((s, r) => s + num(r.today), 0);
      const yesterday = rows.reduce((s, r) => s + num(r.yesterday), 0);
      setKpi('kpi-today', fmt(today));
      if (yesterday > 0) {
        const pct = ((today - yesterday) / yesterday) * 100;
        setKpi('kpi-vs', `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`, pct > 0 ? 'up' : 'down');
      } else {
        setKpi('kpi-vs', '–');
      }
      return {
        ...BASE,
        grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => `${r.hour}${T.hour}`), ...AXIS },
        yAxis: { type: 'value', ...AXIS },
        series: [
          { name: `${T.today} ${fmt(today)}`, type: 'bar', data: rows.map((r) => num(r.today)), barMaxWidth: 14 },
          { name: `${T.yesterday} ${fmt(yesterday)}`, type: 'line', smooth: true, symbol: 'none',
            data: rows.map((r) => num(r.yesterday)), lineStyle: { width: 3 } },
        ],
      };
    },
    hotspots_as_of(rows) {
      if (rows.length === 0) return null;
      const top = rows.slice(0, 8);
      return hBar(
        top.map((r) => `${r.rank}. ${cat(r.category_major)} · ${dist(r.district)}`),
        [{ name: T.score, type: 'bar', data: top.map((r) => num(r.score)), barMaxWidth: 18,
          label: { show: true, position: 'right', color: '#dce9ff', formatter: (p) => `${top[p.dataIndex].volume}/${top[p.dataIndex].expected}` } }],
      );
    },
    alerts_open(rows) {
      setKpi('kpi-alerts', fmt(rows.length), rows.length > 0 ? 'bad' : '');
      if (rows.length === 0) return null;
      const top = rows.slice().sort((a, b) => num(b.score) - num(a.score)).slice(0, 8);
      return hBar(
        top.map((r) => truncate(`${cat(r.category_major)}${r.district ? ' · ' + dist(r.district) : ''}${r.category_code ? ' · ' + r.category_code : ''}`, 26)),
        [{ name: T.score, type: 'bar', barMaxWidth: 18,
          data: top.map((r) => ({ value: num(r.score), itemStyle: { color: r.level === 'CASE_CATEGORY' || r.state === 'ESCALATED' ? '#ff5d4f' : '#ffb547' } })),
          label: { show: true, position: 'right', color: '#dce9ff', formatter: (p) => `${top[p.dataIndex].observed}/${top[p.dataIndex].expected}` } }],
      );
    },
    case_category_candidates_week(rows) {
      if (rows.length === 0) return null;
      const top = rows.slice(0, 8);
      return hBar(
        top.map((r) => cat(r.category_major)),
        [{ name: T.excess, type: 'bar', barMaxWidth: 18,
          data: top.map((r) => ({ value: Math.round(num(r.excess_tickets)), itemStyle: { color: r.escalated ? '#ff5d4f' : '#36cfff' } })),
          label: { show: true, position: 'right', color: '#dce9ff',
            formatter: (p) => `${p.value}${top[p.dataIndex].escalated ? ' ▲' + T.escalated : ''}` } }],
      );
    },
    sla_open_by_agency(rows) {
      const total = rows.reduce((s, r) => s + num(r.open_breaches), 0);
      setKpi('kpi-sla', fmt(total), total > 0 ? 'bad' : '');
      if (rows.length === 0) return null;
      const top = rows.slice(0, 8);
      return hBar(top.map((r) => truncate(agencyName(r.agency), 14)), [
        { name: T.dispatch, type: 'bar', stack: 'o', data: top.map((r) => num(r.dispatch_open)), barMaxWidth: 18 },
        { name: T.resolution, type: 'bar', stack: 'o', data: top.map((r) => num(r.resolution_open)), barMaxWidth: 18 },
      ], { tooltip: { trigger: 'axis', confine: true } });
    },
    sla_breaches_by_agency_day(rows) {
      if (rows.length === 0) return null;
      const top = rows.slice(0, 8);
      return hBar(top.map((r) => truncate(agencyName(r.agency), 14)), [
        { name: T.still_open, type: 'bar', stack: 'b', data: top.map((r) => num(r.still_open)), barMaxWidth: 18, itemStyle: { color: '#ff7a6b' } },
        { name: T.fulfilled_late, type: 'bar', stack: 'b', data: top.map((r) => num(r.fulfilled_late)), barMaxWidth: 18, itemStyle: { color: '#ffb547' } },
        { name: T.abandoned, type: 'bar', stack: 'b', data: top.map((r) => num(r.abandoned)), barMaxWidth: 18, itemStyle: { color: '#8fa3bf' } },
      ]);
    },
    first_dispatch_success_7d(rows) {
      const ok = rows.reduce((s, r) => s + num(r.accepted_first_time), 0);
      const returned = rows.reduce((s, r) => s + num(r.returned), 0);
      if (rows.length === 0 || ok + returned === 0) {
        setKpi('kpi-fds', '–');
        return null;
      }
      const rate = (ok / (ok + returned)) * 100;
      setKpi('kpi-fds', `${rate.toFixed(1)}%`, rate < 98 ? 'bad' : 'down');
      const low = rows.filter((r) => r.first_dispatch_success_rate !== null).slice(0, 6);
      return {
        ...BASE,
        tooltip: { trigger: 'item', confine: true },
        grid: { left: '44%', right: 30, top: 8, bottom: 4, containLabel: true },
        xAxis: { type: 'value', min: (v) => Math.max(0, Math.floor(Math.min(v.min, 95) - 1)), max: 100, ...AXIS },
        yAxis: { type: 'category', inverse: true, data: low.map((r) => truncate(r.agency, 10)), ...AXIS },
        series: [
          { type: 'gauge', center: ['21%', '58%'], radius: '80%', min: 90, max: 100, splitNumber: 5,
            axisLine: { lineStyle: { width: 14, color: [[0.8, '#ff7a6b'], [1, '#5fe3a1']] } },
            axisLabel: { color: '#a9c4ea', fontSize: 11, distance: 18 }, splitLine: { length: 10 },
            pointer: { width: 5 }, title: { color: '#a9c4ea', fontSize: 13, offsetCenter: [0, '70%'] },
            detail: { valueAnimation: false, formatter: (v) => `${v.toFixed(1)}%`, color: '#fff', fontSize: 24, offsetCenter: [0, '40%'] },
            data: [{ value: Math.max(90, rate), name: T.target }] },
          { type: 'bar', name: T.rate, barMaxWidth: 16,
            data: low.map((r) => ({ value: +(num(r.first_dispatch_success_rate) * 100).toFixed(1),
              itemStyle: { color: num(r.first_dispatch_success_rate) < 0.98 ? '#ff7a6b' : '#5fe3a1' } })),
            label: { show: true, position: 'right', color: '#dce9ff', formatter: (p) => `${p.value}%` },
            markLine: { symbol: 'none', data: [{ xAxis: 98 }], lineStyle: { color: '#f5e663', type: 'dashed' },
              label: { formatter: '98%', color: '#f5e663' } } },
        ],
      };
    },
    leads_by_platform_today(rows) {
      if (rows.length === 0) return null;
      const top = rows.slice(0, 8);
      return hBar(top.map((r) => truncate(r.platform, 12)), [
        { name: T.captured, type: 'bar', data: top.map((r) => num(r.captured)), barMaxWidth: 12 },
        { name: T.converted, type: 'bar', data: top.map((r) => num(r.converted)), barMaxWidth: 12 },
      ]);
    },
    lead_funnel_day(rows) {
      const r = rows[0];
      if (!r || num(r.captured) === 0) return null;
      const steps = [
        { name: T.captured, value: num(r.captured) },
        { name: T.valid, value: num(r.verified_valid) },
        { name: T.converted, value: num(r.converted) },
      ];
      return {
        ...BASE,
        tooltip: { trigger: 'item' },
        legend: { show: false },
        series: [{ type: 'funnel', left: '8%', width: '84%', top: 8, bottom: 8, sort: 'none', minSize: '12%', gap: 4,
          label: { position: 'inside', color: '#04101f', fontSize: 16, formatter: (p) => `${p.name}  ${fmt(p.value)}` },
          data: steps }],
      };
    },
    category_trend_top_7d(rows, answer) {
      if (rows.length === 0) return null;
      const end = new Date(answer.day + 'T00:00:00Z');
      const days = [...Array(7).keys()].map((i) => new Date(end.getTime() - (6 - i) * 86400000).toISOString().slice(0, 10));
      const cats = [...new Set(rows.map((r) => r.category_major))];
      const value = (d, c) => num((rows.find((r) => r.day === d && r.category_major === c) || {}).created);
      return {
        ...BASE,
        grid: { left: 8, right: 16, top: 52, bottom: 4, containLabel: true },
        xAxis: { type: 'category', data: days.map((d) => d.slice(5)), ...AXIS },
        yAxis: { type: 'value', ...AXIS },
        series: cats.map((c) => ({ name: cat(c), type: 'line', smooth: true, symbolSize: 5, data: days.map((d) => value(d, c)) })),
      };
    },
  };

  function setKpi(id, text, cls) {
    const el = document.getElementById(id);
    el.textContent = text;
    el.className = 'value' + (cls ? ' ' + cls : '');
  }

  const charts = new Map();
  function chartOf(section) {
    let c = charts.get(section.id);
    if (!c) {
      c = echarts.init(section.querySelector('.chart'), null, { renderer: 'canvas' });
      charts.set(section.id, c);
    }
    return c;
  }

  function show(section, state, message) {
    section.dataset.state = state;
    section.querySelector('.overlay').textContent = message || '';
  }

  function query() {
    const q = new URLSearchParams();
    for (const k of PASS) if (url.searchParams.has(k)) q.set(k, url.searchParams.get(k));
    return q.toString();
  }

  async function refreshPanel(section) {
    const name = section.dataset.panel;
    let response;
    try {
      response = await fetch(`/api/panels/${name}?${query()}`, { cache: 'no-store' });
    } catch (e) {
      show(section, 'error', T.server_down);
      return;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok || !body) {
      section.dataset.error = (body && body.error) || String(response.status);
      if (response.status === 503) show(section, 'error', T.unreachable);
      else if (response.status === 400 && body) show(section, 'error', body.message);
      else show(section, 'error', `${T.failed} (${response.status})`);
      return;
    }
    delete section.dataset.error;
    let option = null;
    try {
      option = RENDER[name](body.rows, body);
    } catch (e) {
      console.error(name, e);
      show(section, 'error', T.failed);
      return;
    }
    section.dataset.rows = String(body.rowCount);
    if (!option) {
      chartOf(section).clear();
      show(section, 'empty', T.empty);
      return;
    }
    const chart = chartOf(section);
    // shown before drawing, so the chart measures its real size
    show(section, 'ok', '');
    chart.resize();
    chart.setOption(option, true);
  }

  async function refreshAll() {
    const sections = [...document.querySelectorAll('.panel')];
    await Promise.all(sections.map(refreshPanel));
    const now = new Date();
    document.getElementById('updated').textContent = `${T.updated} ${now.toLocaleTimeString(LANG === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false })}`;
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
  }

  async function start() {
    document.documentElement.lang = LANG === 'zh' ? 'zh-CN' : 'en';
    document.title = T.title;
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = T[el.dataset.i18n];
    for (const s of document.querySelectorAll('.panel')) show(s, 'loading', T.loading);
    let refreshSeconds = 10;
    try {
      const meta = await (await fetch('/api/meta', { cache: 'no-store' })).json();
      for (const c of meta.categories) categoryNames[c.code] = c;
      for (const d of meta.districts) districtNames[d.code] = d;
      refreshSeconds = meta.refreshSeconds;
      const day = url.searchParams.get('day') || meta.today;
      const district = url.searchParams.get('district');
      document.getElementById('day').textContent = day + (district ? ' · ' + dist(district) : '');
    } catch (e) {
      // the panels report the failure themselves
    }
    window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
    await refreshAll();
    setInterval(refreshAll, refreshSeconds * 1000);
  }

  start();
})();
