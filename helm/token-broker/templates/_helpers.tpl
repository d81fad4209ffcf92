{{/*
Names and labels shared by every template. Resource names are capped at 63 characters because
Kubernetes uses them as DNS labels.
*/}}

{{- define "token-broker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "token-broker.fullname" -}}
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

{{- define "token-broker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that never change over a release's life: Deployment selectors are immutable. */}}
{{- define "token-broker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "token-broker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "token-broker.labels" -}}
helm.sh/chart: {{ include "token-broker.chart" . }}
{{ include "token-broker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: token-broker
app.kubernetes.io/part-of: token-broker
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "token-broker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "token-broker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* A digest pins the exact image; otherwise the tag, defaulting to the chart's appVersion. */}}
{{- define "token-broker.image" -}}
{{- $repository := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "token-broker.callbackPath" -}}
/v1/oauth/callback
{{- end }}

{{/* The redirect URI of one provider: its own value, else the public origin plus the callback. */}}
{{- define "token-broker.redirectUri" -}}
{{- $provider := index . 0 }}
{{- $root := index . 1 }}
{{- if $provider.redirectUri }}
{{- $provider.redirectUri }}
{{- else if $root.Values.broker.publicBaseUrl }}
{{- printf "%s%s" (trimSuffix "/" $root.Values.broker.publicBaseUrl) (include "token-broker.callbackPath" $root) }}
{{- end }}
{{- end }}
