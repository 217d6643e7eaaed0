import { CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import {
  CfnEIP,
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  NatProvider,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { VpcSettings } from '../config/app-config.js';

/** The AWS services the functions call, each through an interface endpoint of its own (DynamoDB: a gateway endpoint, free). */
export const INTERFACE_ENDPOINTS = {
  Sqs: InterfaceVpcEndpointAwsService.SQS,
  SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Ssm: InterfaceVpcEndpointAwsService.SSM,
  Kms: InterfaceVpcEndpointAwsService.KMS,
  Logs: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  XRay: InterfaceVpcEndpointAwsService.XRAY,
};

export interface StageNetworkProps {
  prefix: string;
  settings: VpcSettings;
  key: IKey;
  logRetention: RetentionDays;
}

/** What a function needs to run in the network: where, behind which security group, with which rights. */
export interface FunctionNetwork {
  vpc: Vpc;
  subnets: SubnetSelection;
  securityGroup: SecurityGroup;
  /** Lambda creates the functions' network interfaces with the execution role's rights. */
  interfacePolicy: ManagedPolicy;
}

/**
 * The stage's VPC: private subnets for the functions, public ones holding only the NAT gateways,
 * each NAT behind an Elastic IP of this stack (exported: partners allowlist them). AWS services
 * are reached through VPC endpoints, so that queue, table, secret and key traffic never leaves
 * AWS's network; the functions may open HTTPS connections and nothing else. Flow logs record
 * every connection, in the stage's region, encrypted with its key.
 */
export class StageNetwork extends Construct {
  readonly functions: FunctionNetwork;
  readonly egressIps: CfnEIP[];

  constructor(scope: Construct, id: string, props: StageNetworkProps) {
    super(scope, id);
    const { prefix, settings } = props;
    this.egressIps = Array.from({ length: settings.natGateways }, (_, i) => new CfnEIP(this, `EgressIp${i + 1}`, { domain: 'vpc', tags: [{ key: 'Name', value: `${prefix}-egress-${i + 1}` }] }));
    const flowLogs = new LogGroup(this, 'FlowLogs', { retention: props.logRetention, encryptionKey: props.key });
    const vpc = new Vpc(this, 'Vpc', {
      vpcName: prefix,
      ipAddresses: IpAddresses.cidr(settings.cidr),
      availabilityZones: settings.availabilityZones,
      natGateways: settings.natGateways,
      natGatewayProvider: NatProvider.gateway({ eipAllocationIds: this.egressIps.map((ip) => ip.attrAllocationId) }),
      subnetConfiguration: [
        // NAT gateways only, on the Elastic IPs above: nothing placed here gets a public address of its own.
        { name: 'nat', subnetType: SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
        { name: 'functions', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      gatewayEndpoints: { DynamoDb: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: { All: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.ALL } },
    });
    const subnets: SubnetSelection = { subnetType: SubnetType.PRIVATE_WITH_EGRESS };

    const securityGroup = new SecurityGroup(this, 'Functions', { vpc, description: `${prefix}: functions (HTTPS out only)`, allowAllOutbound: false });
    // AWS endpoints, DCMS and Card91 are all HTTPS; DNS goes to the VPC resolver, which security groups do not filter.
    securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to AWS endpoints and partner APIs');
    const endpoints = new SecurityGroup(this, 'Endpoints', { vpc, description: `${prefix}: VPC interface endpoints`, allowAllOutbound: false });
    endpoints.addIngressRule(securityGroup, Port.tcp(443), 'HTTPS from the functions');
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      vpc.addInterfaceEndpoint(name, { service, subnets, securityGroups: [endpoints], open: false, privateDnsEnabled: true });
    }

    this.functions = { vpc, subnets, securityGroup, interfacePolicy: this.interfacePolicy(vpc, securityGroup) };
    this.egressIps.forEach((ip, i) => {
      new CfnOutput(this, `EgressIp${i + 1}Output`, {
        value: ip.ref,
        exportName: `${prefix}-egress-ip-${i + 1}`,
        description: 'Source address of calls to partners: give it to those that allowlist callers',
      });
    });
  }

  /**
   * Lambda's rights to manage the functions' network interfaces (what AWSLambdaVPCAccessExecutionRole
   * grants), as narrow as EC2 allows: creation in the function subnets behind the functions' group.
   */
  private interfacePolicy(vpc: Vpc, securityGroup: SecurityGroup): ManagedPolicy {
    const stack = Stack.of(this);
    const ec2 = (resource: string) => stack.formatArn({ service: 'ec2', resource });
    const policy = new ManagedPolicy(this, 'FunctionInterfaces', {
      description: 'Lambda manages the functions’ network interfaces in the stage VPC',
      statements: [
        // Describe calls have no resource-level permissions.
        new PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] }),
        new PolicyStatement({
          actions: ['ec2:CreateNetworkInterface'],
          resources: [ec2('network-interface/*'), ec2(`security-group/${securityGroup.securityGroupId}`), ...vpc.privateSubnets.map((s) => ec2(`subnet/${s.subnetId}`))],
        }),
        new PolicyStatement({
          actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: [ec2('network-interface/*')],
          conditions: { ArnEquals: { 'ec2:Vpc': ec2(`vpc/${vpc.vpcId}`) } },
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'EC2 Describe calls (DescribeNetworkInterfaces, DescribeSubnets) have no resource-level permissions; Lambda needs them to place the functions in the VPC. Creation is limited to the function subnets and security group.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${ec2('network-interface/*')}]`,
      reason: 'Network interface ids are chosen by EC2 when Lambda creates them: known by prefix only; delete and address changes are limited to interfaces of the stage VPC.',
    });
    return policy;
  }
}
