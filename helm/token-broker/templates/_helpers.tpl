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

{{/* Where the projected Vault service-account token is mounted (file: token). */}}
{{- define "token-broker.vaultTokenDirectory" -}}
/var/run/secrets/token-broker/vault
{{- end }}

{{/*
A Kubernetes CPU quantity ("500m", "1.5", 2) rounded up to whole CPUs, at least 1.
*/}}
{{- define "token-broker.wholeCpus" -}}
{{- $q := toString . }}
{{- $cpus := 1 }}
{{- if hasSuffix "m" $q }}
{{- $cpus = div (add (trimSuffix "m" $q | int64) 999) 1000 }}
{{- else }}
{{- $cpus = ceil (float64 $q) | int64 }}
{{- end }}
{{- max $cpus 1 }}
{{- end }}

{{/* -XX:ActiveProcessorCount: the value, else the CPU limit, else the request (at least 2). */}}
{{- define "token-broker.activeProcessorCount" -}}
{{- $limits := .Values.resources.limits | default dict }}
{{- $requests := .Values.resources.requests | default dict }}
{{- if .Values.jvm.activeProcessorCount }}
{{- .Values.jvm.activeProcessorCount }}
{{- else if $limits.cpu }}
{{- include "token-broker.wholeCpus" $limits.cpu }}
{{- else if $requests.cpu }}
{{- max (include "token-broker.wholeCpus" $requests.cpu | int64) 2 }}
{{- else }}
{{- 2 }}
{{- end }}
{{- end }}

{{/*
JAVA_OPTS_APPEND: the chart's options, jvm.extraOptions, then a literal JAVA_OPTS_APPEND from
extraEnv, so that setting one never drops the heap and CPU sizing.
*/}}
{{- define "token-broker.javaOptions" -}}
{{- $options := list (printf "-XX:MaxRAMPercentage=%v" .Values.jvm.maxRamPercentage) (printf "-XX:ActiveProcessorCount=%s" (include "token-broker.activeProcessorCount" .)) .Values.jvm.extraOptions }}
{{- range .Values.extraEnv }}
{{- if eq .name "JAVA_OPTS_APPEND" }}
{{- if hasKey . "valueFrom" }}
{{- fail "extraEnv: JAVA_OPTS_APPEND must have a literal value (the chart merges it into its own JVM options); use jvm.extraOptions" }}
{{- end }}
{{- $options = append $options (.value | default "") }}
{{- end }}
{{- end }}
{{- without $options "" | join " " | trim }}
{{- end }}

{{/* The grace period: the value (refused when it cannot cover the shutdown), else derived. */}}
{{- define "token-broker.terminationGracePeriodSeconds" -}}
{{- $needed := add .Values.shutdown.preStopDelaySeconds .Values.shutdown.timeoutSeconds }}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add $needed 10 }}
{{- else if lt (int64 .Values.terminationGracePeriodSeconds) (int64 $needed) }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be at least shutdown.preStopDelaySeconds + shutdown.timeoutSeconds (%v): a pod killed mid-shutdown can lose a refresh token the provider already rotated" .Values.terminationGracePeriodSeconds $needed) }}
{{- else }}
{{- int64 .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/*
One value of application.properties as written in the values file. YAML numbers reach templates
as float64, which Go prints in exponent form (1000000 -> 1e+06) and the broker cannot read back;
whole numbers are printed as integers.
*/}}
{{- define "token-broker.propertyValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) }}
{{- int64 . }}
{{- else }}
{{- . }}
{{- end }}
{{- end }}
