import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

// Validates deploy/k8s against the Kubernetes and KEDA OpenAPI schemas bundled in kubernetes-models
// (the same schemas kubeconform uses, available offline from npm).
const k8sDir = path.resolve(__dirname, '../../../deploy/k8s');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

function modelFor(manifest: Manifest): ModelClass {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const modulePath =
    group === 'keda.sh'
      ? `@kubernetes-models/keda/keda.sh/${version}/${manifest.kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${manifest.kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(modulePath) as Record<string, ModelClass>;
  return exported[manifest.kind];
}

function kustomizationResources(): string[] {
  const kustomization = parse(readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8')) as {
    resources: string[];
  };
  return kustomization.resources;
}

function manifestsIn(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8')).map(
    (doc) => doc.toJS() as Manifest,
  );
}

describe('deploy/k8s', () => {
  const resources = kustomizationResources();

  it.each(resources)('%s is valid against its Kubernetes schema', (file) => {
    const manifests = manifestsIn(file);
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      const Model = modelFor(manifest);
      expect(Model).toBeDefined();
      expect(() => new Model(manifest).validate()).not.toThrow();
    }
  });

  it('a broken manifest is rejected (the validator really validates)', () => {
    const [deployment] = manifestsIn('deployment.yaml');
    const broken = { ...deployment, spec: { replicas: 'two' } };
    expect(() => new (modelFor(deployment))(broken).validate()).toThrow();
  });

  it('wires probes, resources, the PDB and KEDA to the same worker', () => {
    const all = resources.flatMap(manifestsIn);
    const byKind = (kind: string) =>
      all.filter((m) => m.kind === kind) as unknown as Array<Record<string, never>>;
    const deployment = JSON.parse(JSON.stringify(byKind('Deployment')[0])) as {
      metadata: { name: string };
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    const container = deployment.spec.template.spec.containers[0];
    expect(container).toHaveProperty('livenessProbe.httpGet.path', '/healthz');
    expect(container).toHaveProperty('readinessProbe.httpGet.path', '/readyz');
    expect(container).toHaveProperty('resources.requests.cpu');
    expect(byKind('PodDisruptionBudget')).toHaveLength(1);
    expect(byKind('ScaledObject')[0]).toHaveProperty('spec.scaleTargetRef.name', deployment.metadata.name);
    expect(byKind('ConfigMap')).toHaveLength(1);
    expect(byKind('Secret')).toHaveLength(1);
  });

  it('runs the alerts service with probes on the port it serves (ALERTS_HTTP_PORT)', () => {
    const [alerts] = manifestsIn('alerts-deployment.yaml') as unknown as Array<{
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    }>;
    const container = alerts.spec.template.spec.containers[0] as {
      args: string[];
      env: Array<{ name: string; value?: string }>;
      ports: Array<{ containerPort: number }>;
    };
    expect(container.args).toEqual(['alerts']);
    const port = container.env.find((entry) => entry.name === 'ALERTS_HTTP_PORT')?.value;
    expect(Number(port)).toBe(container.ports[0].containerPort);
    expect(container).toHaveProperty('livenessProbe.httpGet.path', '/healthz');
    expect(container).toHaveProperty('readinessProbe.httpGet.path', '/readyz');
  });
});
