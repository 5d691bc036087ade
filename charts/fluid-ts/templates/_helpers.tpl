{{/* The image every component runs. */}}
{{- define "fluid-ts.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "fluid-ts.labels" -}}
app.kubernetes.io/name: fluid-ts
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Cluster-scoped names carry the release namespace, so two releases in two namespaces do not collide. */}}
{{- define "fluid-ts.clusterName" -}}
{{ printf "%s-%s" .root.Release.Namespace .name }}
{{- end -}}

{{- define "fluid-ts.webhookService" -}}
fluid-webhook
{{- end -}}
