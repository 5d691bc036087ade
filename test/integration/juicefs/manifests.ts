// Manifests shared by the JuiceFSRuntime integration tests.

/** A JuiceFSRuntime with one worker and one cache level (seed 003's shape: MEM on /dev/shm, 40960 Mi). */
export function juicefsRuntimeYaml(name: string, level = { mediumtype: 'MEM', path: '/dev/shm', quota: '40960', volumeType: undefined as string | undefined }): string {
  return `---
apiVersion: data.fluid.io/v1alpha1
kind: JuiceFSRuntime
metadata:
  name: ${name}
spec:
  replicas: 1
  tieredstore:
    levels:
      - mediumtype: ${level.mediumtype}
        path: ${level.path}
        quota: ${level.quota}
${level.volumeType !== undefined ? `        volumeType: ${level.volumeType}\n` : ''}`;
}
