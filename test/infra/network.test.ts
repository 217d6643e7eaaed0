import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadAppSettings, type VpcSettings } from '../../infra/config/app-config.js';
import { cdkJson, synthStage, testApp } from './support.js';

const prod = synthStage('prod');
const dev = synthStage('dev');
const network = prod.settings.network as VpcSettings;
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (type: string) => Object.entries(prod.template.findResources(type) as Record<string, Resource>);
const workloadFunctions = (template = prod.template) =>
  Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).filter((fn) => typeof fn.Properties.FunctionName === 'string');
const idOf = (type: string, description: string) => resources(type).find(([, r]) => r.Properties.GroupDescription === description)![0];
const functionsGroup = () => idOf('AWS::EC2::SecurityGroup', `${prod.settings.resourcePrefix}: functions (HTTPS out only)`);
const endpointsGroup = () => idOf('AWS::EC2::SecurityGroup', `${prod.settings.resourcePrefix}: VPC interface endpoints`);

describe('network: prod runs its functions in a VPC (a stage setting)', () => {
  it('prod is set to vpc, dev to Lambda’s own network', () => {
    expect(network).toMatchObject({ mode: 'vpc', natGateways: 2 });
    expect(dev.settings.network).toEqual({ mode: 'lambda' });
  });

  it('every prod function runs in the private subnets, behind the functions’ security group', () => {
    const privateSubnets = resources('AWS::EC2::Subnet')
      .filter(([id]) => id.includes('functions'))
      .map(([id]) => ({ Ref: id }));
    expect(privateSubnets).toHaveLength(network.availabilityZones.length);
    expect(workloadFunctions()).toHaveLength(6);
    for (const fn of workloadFunctions()) {
      expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: privateSubnets, SecurityGroupIds: [{ 'Fn::GetAtt': [functionsGroup(), 'GroupId'] }] });
    }
  });

  it('the functions may open HTTPS connections and nothing else; the endpoints take HTTPS from the functions only', () => {
    prod.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: `${prod.settings.resourcePrefix}: functions (HTTPS out only)`,
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    const ingress = resources('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toEqual([
      expect.objectContaining({ GroupId: { 'Fn::GetAtt': [endpointsGroup(), 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': [functionsGroup(), 'GroupId'] }, FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('AWS services through VPC endpoints: DynamoDB by gateway; SQS, Secrets Manager, SSM, KMS, CloudWatch Logs and X-Ray by interface', () => {
    const endpoints = resources('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties);
    const service = (e: Record<string, unknown>) => JSON.stringify(e.ServiceName).match(/\.([a-z-]+)"?\]*\}?$/)?.[1] ?? JSON.stringify(e.ServiceName);
    expect(endpoints.filter((e) => e.VpcEndpointType === 'Gateway').map(service)).toEqual(['dynamodb']);
    const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => JSON.stringify(e.ServiceName).replace(/.*ap-south-1\.|".*|\\.*/g, '')).sort()).toEqual(['kms', 'logs', 'secretsmanager', 'sqs', 'ssm', 'xray']);
    for (const e of interfaces) expect(e).toMatchObject({ PrivateDnsEnabled: true, SecurityGroupIds: [{ 'Fn::GetAtt': [endpointsGroup(), 'GroupId'] }] });
  });

  it('calls to partners leave through NAT gateways on Elastic IPs of the stack, exported for partners’ allowlists', () => {
    const eips = resources('AWS::EC2::EIP').map(([id]) => id);
    expect(eips).toHaveLength(network.natGateways);
    const nats = resources('AWS::EC2::NatGateway').map(([, r]) => r.Properties.AllocationId);
    expect(nats).toEqual(eips.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] })));
    const outputs = prod.template.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
    const exported = Object.values(outputs).filter((o) => o.Export?.Name.startsWith(`${prod.settings.resourcePrefix}-egress-ip-`));
    expect(exported.map((o) => o.Value)).toEqual(eips.map((id) => ({ Ref: id })));
    // The public subnets hold the NAT gateways only: nothing there gets an address of its own.
    for (const [id, subnet] of resources('AWS::EC2::Subnet')) if (id.includes('nat')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  it('Lambda manages the functions’ interfaces through a policy of ours, no AWS managed policy', () => {
    const [policyId] = resources('AWS::IAM::ManagedPolicy').map(([id]) => id);
    const roles = prod.template.toJSON().Resources as Record<string, Resource>;
    for (const fn of workloadFunctions()) {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(roles[roleId]!.Properties.ManagedPolicyArns).toEqual([{ Ref: policyId }]);
    }
    expect(JSON.stringify(prod.template.toJSON())).not.toContain('AWSLambdaVPCAccessExecutionRole');
  });

  it('flow logs record every connection, encrypted, in the stage’s region', () => {
    prod.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    expect(prod.stack.region).toBe(prod.settings.region);
  });

  it('synth looks nothing up: the zones come from the settings (synth stays offline, without credentials)', () => {
    expect(prod.stage.synth().manifest.missing ?? []).toEqual([]);
  });

  it('dev has no VPC: its functions run on Lambda’s own network', () => {
    dev.template.resourceCountIs('AWS::EC2::VPC', 0);
    for (const fn of workloadFunctions(dev.template)) expect(fn.Properties.VpcConfig).toBeUndefined();
  });
});

describe('network settings: what the loader refuses', () => {
  type Context = { stages: Record<'dev' | 'prod', { network: Record<string, unknown> }> };
  const withProdNetwork = (change: Record<string, unknown>) => {
    const context = structuredClone(cdkJson.context['card-issuance']) as Context;
    Object.assign(context.stages.prod.network, change);
    return () => loadAppSettings(testApp({ 'card-issuance': context }));
  };

  it('zones of another region, more NAT gateways than zones, a single zone', () => {
    expect(withProdNetwork({ availabilityZones: ['ap-south-1a', 'us-east-1b'] })).toThrow(/network\.availabilityZones: must be zones of the stage's region ap-south-1/);
    expect(withProdNetwork({ natGateways: 3 })).toThrow(/network\.natGateways: at most one per availability zone/);
    expect(withProdNetwork({ availabilityZones: ['ap-south-1a'], natGateways: 1 })).toThrow(/network\.availabilityZones/);
  });

  it('a range too large or too small', () => {
    expect(withProdNetwork({ cidr: '10.0.0.0/8' })).toThrow(/cidr must be a \/16 to \/22/);
    expect(withProdNetwork({ cidr: '10.0.0.0/26' })).toThrow(/cidr must be a \/16 to \/22/);
  });
});
