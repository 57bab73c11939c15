{{- define "adapter.env" }}
{{- with .Values.eventbridge }}
{{- with .types }}
- name: EVENTBRIDGE_TYPES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .allowUnauthenticated }}
- name: EVENTBRIDGE_ALLOW_UNAUTHENTICATED
  value: "true"
{{- end }}
{{- with .targetUrl }}
- name: EVENTBRIDGE_TARGET_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* Pushed events keep their own source (acs.oss, aws.s3, ...): give one per type in eventTypes.types. */}}
{{- define "adapter.eventSource" }}{{ end }}
