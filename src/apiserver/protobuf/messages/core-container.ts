/** core/v1 Container and everything hanging off it (k8s.io.api.core.v1). */
import {
  bool, inline, int32, int32s, int64, intOrString, message, msg, msgs, ptr, quantity, quantityMap, str, strs,
} from '../schema.ts';
import { localObjectReference } from './core-refs.ts';

export const containerPort = message('core/v1 ContainerPort', {
  1: str('name'),
  2: int32('hostPort'),
  3: int32('containerPort'),
  4: str('protocol'),
  5: str('hostIP'),
});

export const objectFieldSelector = message('core/v1 ObjectFieldSelector', {
  1: str('apiVersion'),
  2: str('fieldPath'),
});

export const resourceFieldSelector = message('core/v1 ResourceFieldSelector', {
  1: str('containerName'),
  2: str('resource'),
  3: quantity('divisor'),
});

const keySelector = (name: string) => message(`core/v1 ${name}`, {
  1: inline(() => localObjectReference),
  2: str('key'),
  3: ptr(bool('optional')),
});
export const configMapKeySelector = keySelector('ConfigMapKeySelector');
export const secretKeySelector = keySelector('SecretKeySelector');

export const fileKeySelector = message('core/v1 FileKeySelector', {
  1: str('volumeName'),
  2: str('path'),
  3: str('key'),
  4: ptr(bool('optional')),
});

export const envVarSource = message('core/v1 EnvVarSource', {
  1: ptr(msg('fieldRef', () => objectFieldSelector)),
  2: ptr(msg('resourceFieldRef', () => resourceFieldSelector)),
  3: ptr(msg('configMapKeyRef', () => configMapKeySelector)),
  4: ptr(msg('secretKeyRef', () => secretKeySelector)),
  5: ptr(msg('fileKeyRef', () => fileKeySelector)),
});

export const envVar = message('core/v1 EnvVar', {
  1: str('name'),
  2: str('value'),
  3: ptr(msg('valueFrom', () => envVarSource)),
});

const envSource = (name: string) => message(`core/v1 ${name}`, {
  1: inline(() => localObjectReference),
  2: ptr(bool('optional')),
});

export const configMapEnvSource = envSource('ConfigMapEnvSource');
export const secretEnvSource = envSource('SecretEnvSource');

export const envFromSource = message('core/v1 EnvFromSource', {
  1: str('prefix'),
  2: ptr(msg('configMapRef', () => configMapEnvSource)),
  3: ptr(msg('secretRef', () => secretEnvSource)),
});

export const resourceClaim = message('core/v1 ResourceClaim', {
  1: str('name'),
  2: str('request'),
});

export const resourceRequirements = message('core/v1 ResourceRequirements', {
  1: quantityMap('limits'),
  2: quantityMap('requests'),
  3: msgs('claims', () => resourceClaim),
});

export const volumeMount = message('core/v1 VolumeMount', {
  1: str('name'),
  2: bool('readOnly'),
  7: ptr(str('recursiveReadOnly')),
  3: str('mountPath'),
  4: str('subPath'),
  5: ptr(str('mountPropagation')),
  6: str('subPathExpr'),
});

export const volumeDevice = message('core/v1 VolumeDevice', {
  1: str('name'),
  2: str('devicePath'),
});

export const execAction = message('core/v1 ExecAction', { 1: strs('command') });

export const httpHeader = message('core/v1 HTTPHeader', { 1: str('name'), 2: str('value') });

export const httpGetAction = message('core/v1 HTTPGetAction', {
  1: str('path'),
  2: intOrString('port'),
  3: str('host'),
  4: str('scheme'),
  5: msgs('httpHeaders', () => httpHeader),
});

export const tcpSocketAction = message('core/v1 TCPSocketAction', {
  1: intOrString('port'),
  2: str('host'),
});

export const grpcAction = message('core/v1 GRPCAction', {
  1: int32('port'),
  2: ptr(str('service')),
});

export const sleepAction = message('core/v1 SleepAction', { 1: int64('seconds') });

export const probeHandler = message('core/v1 ProbeHandler', {
  1: ptr(msg('exec', () => execAction)),
  2: ptr(msg('httpGet', () => httpGetAction)),
  3: ptr(msg('tcpSocket', () => tcpSocketAction)),
  4: ptr(msg('grpc', () => grpcAction)),
});

export const probe = message('core/v1 Probe', {
  1: inline(() => probeHandler),
  2: int32('initialDelaySeconds'),
  3: int32('timeoutSeconds'),
  4: int32('periodSeconds'),
  5: int32('successThreshold'),
  6: int32('failureThreshold'),
  7: ptr(int64('terminationGracePeriodSeconds')),
});

export const lifecycleHandler = message('core/v1 LifecycleHandler', {
  1: ptr(msg('exec', () => execAction)),
  2: ptr(msg('httpGet', () => httpGetAction)),
  3: ptr(msg('tcpSocket', () => tcpSocketAction)),
  4: ptr(msg('sleep', () => sleepAction)),
});

export const lifecycle = message('core/v1 Lifecycle', {
  1: ptr(msg('postStart', () => lifecycleHandler)),
  2: ptr(msg('preStop', () => lifecycleHandler)),
  3: ptr(str('stopSignal')),
});

export const capabilities = message('core/v1 Capabilities', { 1: strs('add'), 2: strs('drop') });

export const seLinuxOptions = message('core/v1 SELinuxOptions', {
  1: str('user'),
  2: str('role'),
  3: str('type'),
  4: str('level'),
});

export const windowsSecurityContextOptions = message('core/v1 WindowsSecurityContextOptions', {
  1: ptr(str('gmsaCredentialSpecName')),
  2: ptr(str('gmsaCredentialSpec')),
  3: ptr(str('runAsUserName')),
  4: ptr(bool('hostProcess')),
});

const profile = (name: string) => message(`core/v1 ${name}`, {
  1: str('type'),
  2: ptr(str('localhostProfile')),
});
export const seccompProfile = profile('SeccompProfile');
export const appArmorProfile = profile('AppArmorProfile');

export const securityContext = message('core/v1 SecurityContext', {
  1: ptr(msg('capabilities', () => capabilities)),
  2: ptr(bool('privileged')),
  3: ptr(msg('seLinuxOptions', () => seLinuxOptions)),
  10: ptr(msg('windowsOptions', () => windowsSecurityContextOptions)),
  4: ptr(int64('runAsUser')),
  8: ptr(int64('runAsGroup')),
  5: ptr(bool('runAsNonRoot')),
  6: ptr(bool('readOnlyRootFilesystem')),
  7: ptr(bool('allowPrivilegeEscalation')),
  9: ptr(str('procMount')),
  11: ptr(msg('seccompProfile', () => seccompProfile)),
  12: ptr(msg('appArmorProfile', () => appArmorProfile)),
});

export const containerResizePolicy = message('core/v1 ContainerResizePolicy', {
  1: str('resourceName'),
  2: str('restartPolicy'),
});

export const containerRestartRuleOnExitCodes = message('core/v1 ContainerRestartRuleOnExitCodes', {
  1: str('operator'),
  2: int32s('values'),
});

export const containerRestartRule = message('core/v1 ContainerRestartRule', {
  1: str('action'),
  2: ptr(msg('exitCodes', () => containerRestartRuleOnExitCodes)),
});

/** Container fields; EphemeralContainerCommon has the very same numbering. */
const containerFields = {
  1: str('name'),
  2: str('image'),
  3: strs('command'),
  4: strs('args'),
  5: str('workingDir'),
  6: msgs('ports', () => containerPort),
  19: msgs('envFrom', () => envFromSource),
  7: msgs('env', () => envVar),
  8: msg('resources', () => resourceRequirements),
  23: msgs('resizePolicy', () => containerResizePolicy),
  24: ptr(str('restartPolicy')),
  25: msgs('restartPolicyRules', () => containerRestartRule),
  9: msgs('volumeMounts', () => volumeMount),
  21: msgs('volumeDevices', () => volumeDevice),
  10: ptr(msg('livenessProbe', () => probe)),
  11: ptr(msg('readinessProbe', () => probe)),
  22: ptr(msg('startupProbe', () => probe)),
  12: ptr(msg('lifecycle', () => lifecycle)),
  13: str('terminationMessagePath'),
  20: str('terminationMessagePolicy'),
  14: str('imagePullPolicy'),
  15: ptr(msg('securityContext', () => securityContext)),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
};

export const container = message('core/v1 Container', containerFields);

export const ephemeralContainerCommon = message('core/v1 EphemeralContainerCommon', containerFields);

export const ephemeralContainer = message('core/v1 EphemeralContainer', {
  1: inline(() => ephemeralContainerCommon),
  2: str('targetContainerName'),
});
