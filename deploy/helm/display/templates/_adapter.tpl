{{- define "adapter.env" }}
- name: DISPLAY_MAX_EVENTS
  value: {{ .Values.display.maxEvents | toString | quote }}
- name: LOG_FORMAT
  value: {{ .Values.display.logFormat | quote }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}
{{- define "adapter.eventSource" }}{{ end }}

{{- define "adapter.requirements" }}[]{{ end }}
