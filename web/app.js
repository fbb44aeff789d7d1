// yibao web workspace: small page scripts (no framework). Forms post with the CSRF token the server rendered;
// uploads go by XHR to show progress; charts are Apache ECharts, served by the server itself.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var data = function (id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  var fmt = function (n) {
    return Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  };
  var text = function (tag, s, cls) {
    var el = document.createElement(tag);
    el.textContent = s == null ? '' : String(s);
    if (cls) el.className = cls;
    return el;
  };

  // ------------------------------------------------------------ confirmations
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  // ------------------------------------------------------------ uploads (导入, 政策)
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    var input = form.querySelector('input[type=file]');
    var bar = form.querySelector('progress');
    var phase = form.querySelector('.phase');
    var result = form.querySelector('.result');
    var send = function (file) {
      var body = new FormData();
      body.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.getAttribute('data-upload'));
      xhr.setRequestHeader('x-csrf-token', csrf);
      xhr.setRequestHeader('accept', 'application/json');
      bar.hidden = false;
      bar.value = 0;
      result.textContent = '';
      if (phase) phase.textContent = '上传中 uploading…';
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.upload.onload = function () {
        bar.value = 100;
        bar.removeAttribute('value'); // indeterminate while the server validates and imports
        if (phase) phase.textContent = '校验并导入中 validating and importing…';
      };
      xhr.onload = function () {
        bar.hidden = true;
        if (phase) phase.textContent = '';
        var r;
        try {
          r = JSON.parse(xhr.responseText);
        } catch (e) {
          r = { error: xhr.responseText };
        }
        if (xhr.status === 200 && r.ok) {
          var ok = text('div', '', 'flash ok');
          ok.id = 'upload-ok';
          r.lines.forEach(function (l) {
            ok.appendChild(text('div', l));
          });
          result.appendChild(ok);
          setTimeout(function () {
            location.reload();
          }, 1200);
          return;
        }
        var box = text('div', '', 'flash error');
        box.id = 'upload-errors';
        if (r.errors) {
          box.appendChild(text('div', '导入被拒绝，未存储任何数据：共 ' + r.total + ' 个错误 / import rejected, nothing stored: ' + r.total + ' error(s)'));
          if (r.report) {
            var a = text('a', '下载错误报告（CSV）/ download the error report');
            a.href = r.report;
            a.id = 'error-report';
            box.appendChild(a);
          }
          var t = document.createElement('table');
          t.id = 'row-errors';
          var head = t.createTHead().insertRow();
          ['文件 file', '行 row', '列 column', '值 value', '规则 rule', '说明 message'].forEach(function (hd) {
            head.appendChild(text('th', hd));
          });
          var tb = t.createTBody();
          r.errors.slice(0, 500).forEach(function (e) {
            var tr = tb.insertRow();
            [e.file, e.row, e.column || e.path, e.value, e.rule, e.zh + ' / ' + e.en].forEach(function (c) {
              tr.appendChild(text('td', c));
            });
          });
          var wrap = text('div', '', 'scroll');
          wrap.appendChild(t);
          box.appendChild(wrap);
        } else {
          box.appendChild(text('div', r.error || ('HTTP ' + xhr.status)));
        }
        result.appendChild(box);
      };
      xhr.onerror = function () {
        bar.hidden = true;
        result.appendChild(text('div', '网络错误 / network error', 'flash error'));
      };
      xhr.send(body);
    };
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (input.files && input.files[0]) send(input.files[0]);
    });
    if (form.classList.contains('drop')) {
      ['dragenter', 'dragover'].forEach(function (t) {
        form.addEventListener(t, function (e) {
          e.preventDefault();
          form.classList.add('over');
        });
      });
      ['dragleave', 'drop'].forEach(function (t) {
        form.addEventListener(t, function (e) {
          e.preventDefault();
          form.classList.remove('over');
        });
      });
      form.addEventListener('drop', function (e) {
        if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]);
      });
    }
  });

  // ------------------------------------------------------------ charts
  var chart = function (id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = window.echarts.init(el, null, { renderer: 'canvas' });
    window.addEventListener('resize', function () {
      c.resize();
    });
    return c;
  };
  var yuanAxis = { type: 'value', axisLabel: { formatter: function (v) { return (v / 10000).toLocaleString('en-US') + ' 万'; } } };
  var ov = data('data-overview');
  if (ov) {
    var c1 = chart('chart-paid');
    if (c1) {
      c1.setOption({
        animation: false,
        title: { text: '累计实拨与预拨额（预算线）Paid vs installments, cumulative', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        xAxis: { type: 'category', data: ov.months },
        yAxis: yuanAxis,
        series: [
          { name: '累计预拨额 installments', type: 'line', data: ov.installments, lineStyle: { type: 'dashed' } },
          { name: '累计实拨 paid', type: 'bar', data: ov.paid },
        ],
      });
    }
    var c2 = chart('chart-oog');
    if (c2) {
      c2.setOption({
        animation: false,
        title: { text: '医共体外费用（按月）Out-of-group spend by month', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: ov.months },
        yAxis: yuanAxis,
        series: [{ name: '外转 out-of-group', type: 'bar', data: ov.outOfGroup, itemStyle: { color: '#c0504d' } }],
      });
    }
  }
  var mo = data('data-months');
  if (mo) {
    var c4 = chart('chart-months');
    if (c4) {
      var name = function (l) { return l.zh + ' ' + l.en; };
      c4.setOption({
        animation: false,
        title: { text: '月度预结算 Monthly pre-settlement', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        xAxis: { type: 'category', data: mo.months },
        yAxis: yuanAxis,
        series: [
          { name: name(mo.labels.workload), type: 'bar', data: mo.workload, itemStyle: { color: '#9fb3c8' } },
          { name: name(mo.labels.paid), type: 'bar', data: mo.paid, itemStyle: { color: '#2f5597' } },
          { name: name(mo.labels.installment), type: 'line', data: mo.installment, lineStyle: { type: 'dashed' } },
        ],
      });
    }
  }
  var wf = data('data-waterfall');
  if (wf) {
    var c3 = chart('chart-waterfall');
    if (c3) {
      var base = [], up = [], down = [], level = 0;
      wf.forEach(function (s) {
        if (s.kind === 'total') {
          base.push(0);
          up.push(s.amount >= 0 ? s.amount : 0);
          down.push(s.amount < 0 ? -s.amount : 0);
          level = s.amount;
        } else if (s.amount >= 0) {
          base.push(level);
          up.push(s.amount);
          down.push(0);
          level += s.amount;
        } else {
          level += s.amount;
          base.push(level);
          up.push(0);
          down.push(-s.amount);
        }
      });
      c3.setOption({
        animation: false,
        tooltip: { trigger: 'axis', formatter: function (p) { var i = p[0].dataIndex; return wf[i].label.replace('\n', ' ') + '<br>' + fmt(wf[i].amount); } },
        grid: { bottom: 70 },
        xAxis: { type: 'category', data: wf.map(function (s) { return s.label; }), axisLabel: { interval: 0, fontSize: 11 } },
        yAxis: yuanAxis,
        series: [
          { type: 'bar', stack: 'w', data: base, itemStyle: { color: 'transparent' }, silent: true },
          { name: '增加 / 合计', type: 'bar', stack: 'w', data: up.map(function (v, i) { return { value: v, itemStyle: { color: wf[i].kind === 'total' ? '#2f5597' : '#70ad47' } }; }), label: { show: true, position: 'top', formatter: function (p) { return p.value ? fmt(wf[p.dataIndex].amount) : ''; }, fontSize: 10 } },
          { name: '减少', type: 'bar', stack: 'w', data: down, itemStyle: { color: '#c0504d' }, label: { show: true, position: 'bottom', formatter: function (p) { return p.value ? fmt(wf[p.dataIndex].amount) : ''; }, fontSize: 10 } },
        ],
      });
    }
  }

  // ------------------------------------------------------------ what-if
  var wform = document.getElementById('whatif-form');
  if (wform) {
    var labels = data('data-labels');
    var status = document.getElementById('whatif-status');
    var risk = chart('chart-risk');
    var timer = null, seq = 0;
    var fill = function (tbody, rows) {
      tbody.textContent = '';
      rows.forEach(function (r) {
        var tr = tbody.insertRow();
        tr.appendChild(text('td', r[0]));
        var d = Number(r[2]) - Number(r[1]);
        tr.appendChild(text('td', fmt(r[1]), 'num'));
        tr.appendChild(text('td', fmt(r[2]), 'num'));
        tr.appendChild(text('td', (d > 0 ? '+' : '') + fmt(d), 'num' + (d !== 0 ? ' changed' : '')));
      });
    };
    var update = function () {
      var q = new URLSearchParams();
      wform.querySelectorAll('input[name]').forEach(function (i) {
        q.append(i.name, i.value);
      });
      var mine = ++seq;
      var t0 = performance.now();
      status.textContent = '计算中 computing…';
      fetch('/api/whatif?' + q.toString(), { headers: { accept: 'application/json' } })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
        .then(function (res) {
          if (mine !== seq) return;
          var ms = Math.round(performance.now() - t0);
          if (!res.ok) {
            status.textContent = (res.j.errors || []).map(function (e) { return (e.path || '') + ' ' + e.zh + ' / ' + e.en; }).join('; ') || res.j.error;
            status.className = 'flash error';
            return;
          }
          var j = res.j;
          status.className = 'muted';
          status.textContent = '已重算 recomputed in ' + ms + ' ms' + (j.sets.length ? ' · ' + j.sets.join(', ') : ' · 与基准相同 same as the base') + ' · 超支概率 P(overrun) ' + (j.variant.pOverrun * 100).toFixed(1) + '%';
          status.setAttribute('data-ms', String(ms));
          fill(document.querySelector('#whatif-table tbody'), Object.keys(labels).map(function (k) { return [labels[k], j.base.settlement[k], j.variant.settlement[k]]; }));
          fill(document.querySelector('#whatif-members tbody'), j.base.members.map(function (m, i) { return [m.id, m.total, j.variant.members[i].total]; }));
          if (risk) {
            var cat = j.histogram.map(function (b) { return (b.from / 10000).toFixed(0) + '万'; });
            risk.setOption({
              animation: false,
              tooltip: { trigger: 'axis' },
              legend: { bottom: 0 },
              grid: { left: 50, right: 30 },
              xAxis: { type: 'category', data: cat, name: 'X' },
              yAxis: { type: 'value', name: '次数 runs' },
              series: [
                { name: '基准 base（超支概率 ' + (j.base.pOverrun * 100).toFixed(1) + '%）', type: 'bar', data: j.histogram.map(function (b) { return b.base; }), itemStyle: { color: '#9fb3c8' } },
                { name: '测算 what-if（超支概率 ' + (j.variant.pOverrun * 100).toFixed(1) + '%）', type: 'bar', data: j.histogram.map(function (b) { return b.variant; }), itemStyle: { color: '#2f5597' } },
              ],
            }, true);
          }
        });
    };
    wform.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    wform.addEventListener('reset', function () {
      setTimeout(update, 0);
    });
    update();
  }
})();
