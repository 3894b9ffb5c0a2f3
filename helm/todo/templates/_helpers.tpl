{{/* Names and labels shared by every template. */}}

{{- define "todo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one service's objects: <fullname>-<service>. Call with (dict "root" $ "name" $name). */}}
{{- define "todo.serviceName" -}}
{{- printf "%s-%s" (include "todo.fullname" .root | trunc 50 | trimSuffix "-") .name -}}
{{- end -}}

{{- define "todo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo
{{- end -}}

{{/* Selector labels of one service's pods. Call with (dict "root" $ "name" $name). */}}
{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "todo.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "todo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "todo.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "todo.existingSecret" -}}
{{- required "secrets.existingSecret is required: the name of a Secret holding DATABASE_URL and the other secrets (see docs/deploy)" .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Environment variables from the existing Secret. Call with (dict "root" $ "vars" (list "DATABASE_URL" ...)). */}}
{{- define "todo.secretEnv" -}}
{{- $root := .root -}}
{{- range .vars }}
{{- $key := index $root.Values.secrets.keys . | default "" }}
{{- if not $key }}{{ fail (printf "secrets.keys.%s is not set" .) }}{{ end }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "todo.existingSecret" $root }}
      key: {{ $key }}
      {{- if ne . "DATABASE_URL" }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* The pub/sub component a service talks to: sync has its own (a consumer group per pod). */}}
{{- define "todo.pubsubName" -}}
{{- if eq .name "sync" -}}{{ .root.Values.dapr.components.syncPubsubName }}{{- else -}}{{ .root.Values.dapr.components.pubsubName }}{{- end -}}
{{- end -}}

{{- /* Dapr components and resiliency are pre-install/pre-upgrade hooks, so they exist before any sidecar
starts: a sidecar loads its components and subscriptions at start, and Helm would otherwise create custom
kinds after the Deployments. Recreated on each upgrade (running sidecars keep what they loaded); helm
uninstall leaves them. */ -}}
{{- define "todo.daprHook" }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
{{- end }}
