{{- define "ping.sourcesFile" -}}
{{- $entries := list -}}
{{- range .Values.ping.sources -}}
{{- $entries = append $entries (merge (dict) . (dict "namespace" $.Release.Namespace)) -}}
{{- end -}}
{{- toYaml $entries -}}
{{- end -}}

{{- define "adapter.env" }}
{{- /* No K_SINK and no source: the adapter watches PingSource objects (packages/ping/README.md). */}}
{{- if .Values.multiTenant.enabled }}
{{- if not .Values.multiTenant.allNamespaces }}
- name: PING_WATCH_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}
{{- else }}
{{- with .Values.ping }}
{{- if .sources }}
- name: PING_SOURCES_FILE
  value: /etc/tributary/ping/sources.yaml
{{- else }}
- name: PING_SCHEDULE
  value: {{ .schedule | quote }}
{{- with .timezone }}
- name: PING_TIMEZONE
  value: {{ . | quote }}
{{- end }}
{{- with .data }}
- name: PING_DATA
  value: {{ . | quote }}
{{- end }}
{{- with .dataBase64 }}
- name: PING_DATA_BASE64
  value: {{ . | quote }}
{{- end }}
{{- with .contentType }}
- name: PING_CONTENT_TYPE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}
{{- if and .Values.ping.sources (not .Values.multiTenant.enabled) }}
- name: sources
  configMap:
    name: {{ include "tributary.fullname" . }}-sources
{{- end }}
{{- end }}

{{- define "adapter.volumeMounts" }}
{{- if and .Values.ping.sources (not .Values.multiTenant.enabled) }}
{{- /* A directory mount, not subPath: the kubelet updates it in place and the adapter reloads. */}}
- name: sources
  mountPath: /etc/tributary/ping
  readOnly: true
{{- end }}
{{- end }}

{{- /* sourcesv1.PingSourceSource(namespace, name): NAME is the release's full name. */}}
{{- define "adapter.eventSource" -}}
{{- if not (or .Values.ping.sources .Values.multiTenant.enabled) -}}
{{- printf "/apis/v1/namespaces/%s/pingsources/%s" .Release.Namespace (include "tributary.fullname" .) -}}
{{- end -}}
{{- end }}

{{- define "adapter.eventTypeFilter" }}[]{{ end }}

{{- define "adapter.requirements" }}[]{{ end }}
