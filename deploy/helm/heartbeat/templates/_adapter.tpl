{{- define "adapter.env" }}
{{- /* Knative's heartbeats sample reads its pod's identity from the downward API. */}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: HEARTBEAT_PERIOD
  value: {{ .Values.heartbeat.period | quote }}
{{- with .Values.heartbeat.label }}
- name: HEARTBEAT_LABEL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.heartbeat.msg }}
- name: HEARTBEAT_MSG
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}
{{- /* The source names the pod (…/#<namespace>/<pod>), so it differs per pod: EventTypes leave it out. */}}
{{- define "adapter.eventSource" }}{{ end }}

{{- define "adapter.eventTypeFilter" }}[]{{ end }}

{{- define "adapter.requirements" }}[]{{ end }}
