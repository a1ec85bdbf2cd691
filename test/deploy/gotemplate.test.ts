// The test-only Go-template renderer: Helm's semantics for the documented subset, and a clear
// failure for anything outside it (so the chart cannot quietly use what the tests cannot render).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chart } from './helpers/gotemplate.js';

function render(src: string, data: unknown, helpers = ''): string {
  return new Chart({ 'templates/_h.tpl': helpers, 'templates/t.yaml': src }).render('templates/t.yaml', data);
}

test('renders the subset with Go template and sprig semantics', () => {
  const V = { Values: { a: { b: 'x' }, n: 5, list: ['p', 'q'], map: { z: 1, a: 2 }, empty: {}, off: false, s: 'portico-' } };
  const cases: Array<[string, string, string?]> = [
    ['a {{ .Values.a.b }} b', 'a x b'],
    ['a  \n {{- .Values.a.b -}} \n  b', 'axb'],
    ['{{/* gone */}}x', 'x'],
    ['a {{- /* gone */ -}} b', 'ab'],
    ['{{ if .Values.off }}1{{ else if .Values.n }}2{{ else }}3{{ end }}', '2'],
    ['{{ with .Values.empty }}1{{ else }}2{{ end }}', '2'],
    ['{{ with .Values.a }}{{ .b }}{{ $.Values.n }}{{ end }}', 'x5'],
    ['{{ range .Values.list }}[{{ . }}]{{ end }}', '[p][q]'],
    ['{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}', 'a=2;z=1;'],
    ['{{ range .Values.empty }}x{{ else }}none{{ end }}', 'none'],
    ['{{ $x := .Values.a.b }}{{ $x }}{{ $x }}', 'xx'],
    ['{{ .Values.missing }}|{{ .Values.missing | default "d" }}', '|d'],
    ['{{ .Values.n | quote }} {{ quote .Values.a.b }}', '"5" "x"'],
    ['{{ add .Values.n 10 1 }}', '16'],
    ['{{ printf "%s-%v" .Values.a.b .Values.n }}', 'x-5'],
    ['{{ .Values.s | trunc 7 | trimSuffix "-" }}', 'portico'],
    ['{{ if contains "tic" .Values.s }}y{{ end }}', 'y'],
    ['{{ if and (eq .Values.a.b "x") (not .Values.off) (ne .Values.n 4) }}y{{ end }}', 'y'],
    ['{{ or .Values.off .Values.empty "z" }}', 'z'],
    ['{{ if empty .Values.list }}e{{ else }}f{{ end }}', 'f'],
    ['x:{{- toYaml .Values.map | nindent 2 }}', 'x:\n  a: 2\n  z: 1'],
    ['{{ toYaml .Values.list | indent 2 }}', '  - p\n  - q'],
    ['{{ include "h" .Values.a | quote }}', '"<x>"', '{{- define "h" -}}<{{ .b }}>{{- end }}'],
  ];
  for (const [src, want, helpers] of cases) {
    assert.equal(render(src, V, helpers), want, src);
  }
  assert.equal(render('{{ include "n" . }}', { Values: { v: 'ok' } }, '{{- define "n" -}}[{{ .Values.v }}]{{- end }}'), '[ok]');
  assert.equal(render('{{ "x" | sha256sum }}', {}), '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
});

test('rejects what the subset leaves out, and Helm\'s runtime errors', () => {
  const V = { Values: { n: 5 } };
  const cases: Array<[string, RegExp]> = [
    ['{{ template "x" . }}', /unsupported action "template"/],
    ['{{ lookup "v1" "Secret" "" "" }}', /unsupported function "lookup"/],
    ['{{ .Values.n | upper }}', /unsupported function "upper"/],
    ['{{ printf "%d" .Values.n }}', /printf verb %d is outside the subset/],
    ['{{ $x := 1 }}{{ $x = 2 }}', /unsupported assignment/],
    ['{{ `raw` }}', /unsupported quote/],
    ['{{ if .Values.n }}open', /missing \{\{ end \}\}/],
    ['{{ end }}', /unexpected \{\{ end \}\}/],
    ['{{ .Values.nope.deeper }}', /nil pointer evaluating .Values.nope.deeper/],
    ['{{ $undefined }}', /undefined variable \$undefined/],
    ['{{ required "need a key" .Values.key }}', /required: need a key/],
    ['{{ include "missing" . }}', /no template "missing"/],
  ];
  for (const [src, err] of cases) assert.throws(() => render(src, V), err, src);
  assert.throws(() => new Chart({ 'templates/_h.tpl': 'stray text {{ .x }}' }), /helper files may only hold defines/);
});
