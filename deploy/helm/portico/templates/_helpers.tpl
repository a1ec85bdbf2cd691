{{/*
Template subset
===============
There is no helm binary in Portico's CI, so test/deploy/helpers/gotemplate.ts renders this chart
with a small Go-template engine of its own, and the chart keeps to the subset it implements.
A template that steps outside it fails `make test` with "unsupported ..." instead of drifting.

Syntax
  {{ pipeline }}  {{- trim left   trim right -}}   comments: open with {{/* and close with the
  mirror image (not spelled out here: it would end this comment)
  if / else if / else / end      with / else / end      range / else / end
  range $v := pipeline           range $k, $v := pipeline (maps iterate in sorted key order)
  define "name" / end            (only in _*.tpl files; called with the include function)
  $var := pipeline               (declaration only; no `=` reassignment, no break/continue)
  operands: . .Field.Chain $ $var $var.Field "double-quoted strings" integers true false
            ( pipeline ) as an argument;   pipelines: a | f b   (the value becomes the last argument)
Objects: .Values .Release.Name .Release.Namespace .Release.Service .Chart.Name .Chart.Version
         .Chart.AppVersion
Functions (Go builtins and sprig, Helm semantics):
  include  toYaml  nindent  indent  quote  default  required  printf (%s and %v only: Helm reads
  numbers as float64, so %d would print %!d(float64=...))  trunc  trimSuffix  contains  eq  ne
  not  and  or  empty  add  sha256sum
Truthiness is Go's: false, 0, "", nil, empty lists and maps are false.
*/}}

{{/* Chart name, 63 characters at most. */}}
{{- define "portico.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: "<release>-<chart>", or the release name when it already
contains the chart name (release "portico" gives portico-control-plane, like deploy/k8s/base). */}}
{{- define "portico.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "portico.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "portico.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "portico.configMapName" -}}
{{- printf "%s-config" (include "portico.fullname" .) }}
{{- end }}

{{- define "portico.secretName" -}}
{{- default (printf "%s-secrets" (include "portico.fullname" .)) .Values.secret.existingSecret }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "portico.labels" -}}
helm.sh/chart: {{ include "portico.chart" . }}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: portico
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "portico.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "portico.controlPlane.selectorLabels" -}}
{{ include "portico.selectorLabels" . }}
app.kubernetes.io/component: control-plane
{{- end }}

{{- define "portico.controlPlane.labels" -}}
{{ include "portico.labels" . }}
app.kubernetes.io/component: control-plane
{{- end }}

{{- define "portico.dataPlane.selectorLabels" -}}
{{ include "portico.selectorLabels" . }}
app.kubernetes.io/component: data-plane
{{- end }}

{{- define "portico.dataPlane.labels" -}}
{{ include "portico.labels" . }}
app.kubernetes.io/component: data-plane
{{- end }}

{{/* Rolls the pods when the Secret's values change (they are read once, as environment
variables). The ConfigMap needs no checksum: Portico reloads portico.yaml in place. */}}
{{- define "portico.secretChecksum" -}}
{{- printf "%s|%s" (toYaml .Values.secret.env) .Values.redis.url | sha256sum }}
{{- end }}

{{/* Environment shared by both planes. */}}
{{- define "portico.commonEnv" -}}
- name: PORTICO_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: PORTICO_DRAIN_TIMEOUT
  value: {{ printf "%vs" .Values.drain.timeoutSeconds | quote }}
{{- end }}
