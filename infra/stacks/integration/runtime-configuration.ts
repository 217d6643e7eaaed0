import { Stack, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret, type ISecret, type SecretStringGenerator } from 'aws-cdk-lib/aws-secretsmanager';
import { ParameterTier, StringParameter, type IStringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { CALLER_SECRET_HEADER } from '../../../shared/card91/auth-webhook-contract.js';
import { ORIGIN_VERIFY_HEADER } from '../../../shared/edge/origin.js';
import type { StageSettings } from '../../config/app-config.js';

/** What the functions read at run time: the tenants and couriers documents (no secret) in SSM, credentials and keys in Secrets Manager. */
export interface RuntimeConfiguration {
  tenantsParameter: IStringParameter;
  couriersParameter: IStringParameter;
  secrets: {
    dcmsCredentials: ISecret;
    card91SdkAuth: ISecret;
    /** The secret Card91 sends in the auth-URL call's caller header, set on Card91's portal. */
    card91AuthCaller: ISecret;
    /** Stages behind CloudFront: the value CloudFront adds to every origin request (shared/edge/origin.ts). */
    originVerify?: ISecret;
    /** One per courier integration, in the order of `settings.couriers`. */
    couriers: ISecret[];
  };
}

export type StageSecrets = RuntimeConfiguration['secrets'];

interface SecretProps {
  description: string;
  whyNotRotated: string;
  generateSecretString?: SecretStringGenerator;
}

/**
 * The stage's run-time configuration. No secret value is in code or a template: operators set the
 * DCMS and Card91 ones (the descriptions give the shape), Secrets Manager generates the courier keys.
 */
export function createRuntimeConfiguration(scope: Construct, settings: StageSettings, key: IKey): RuntimeConfiguration {
  const prefix = settings.resourcePrefix;
  const tenantsParameter = new StringParameter(scope, 'TenantsParameter', {
    parameterName: `/${prefix}/tenants`,
    description: 'Tenants document of the DCMS workers (shared/config/tenants.ts)',
    stringValue: JSON.stringify(settings.tenants),
    tier: ParameterTier.INTELLIGENT_TIERING,
  });
  const secrets = createSecrets(scope, settings, key);
  const couriersParameter = new StringParameter(scope, 'CouriersParameter', {
    parameterName: `/${prefix}/couriers`,
    description: 'Courier integrations of the courier webhook (shared/courier/couriers.ts)',
    stringValue: Stack.of(scope).toJsonString(settings.couriers.map((c, i) => ({ ...c, secretId: secrets.couriers[i]!.secretArn }))),
    tier: ParameterTier.INTELLIGENT_TIERING,
  });
  return { tenantsParameter, couriersParameter, secrets };
}

/** The secrets, each with why it is not rotated by Secrets Manager (cdk-nag AwsSolutions-SMG4). */
function createSecrets(scope: Construct, settings: StageSettings, key: IKey): StageSecrets {
  const secret = (id: string, name: string, props: SecretProps) => {
    const created = new Secret(scope, id, { secretName: `${settings.resourcePrefix}/${name}`, description: props.description, encryptionKey: key, generateSecretString: props.generateSecretString });
    Validations.of(created).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.whyNotRotated });
    return created;
  };
  // Generated here, in the `{"current", "previous"?}` shape the functions read (shared/security/shared-secret.ts).
  const generated: SecretStringGenerator = { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 64, excludePunctuation: true };
  return {
    card91AuthCaller: secret('Card91AuthCaller', 'card91-auth-caller', {
      description: `Caller secret of the Card91 auth URL: {"current": "…", "previous": "…"}; entered on Card91's admin portal as the value of the ${CALLER_SECRET_HEADER} header`,
      whyNotRotated: 'Card91 must be given each new value on its admin portal before it sends it; rotation is the current/previous overlap of the runbook, not something AWS can complete alone.',
      generateSecretString: generated,
    }),
    ...(settings.webhooks.floodDefence.mode === 'cloudfront-waf' && {
      originVerify: secret('OriginVerify', 'edge-origin-verify', {
        description: `Origin secret CloudFront adds as ${ORIGIN_VERIFY_HEADER} to every request to the webhook API: {"current": "…", "previous": "…"}`,
        whyNotRotated:
          "CloudFront sends the version pinned in the stage configuration; rotation is the runbook's current/previous overlap with a reviewed configuration change, so that the functions accept the new value before CloudFront sends it.",
        generateSecretString: generated,
      }),
    }),
    dcmsCredentials: secret('DcmsCredentials', 'dcms-credentials', {
      description: 'DCMS API users: {"<TENANT>": {"username": "…", "password": "…"}}',
      whyNotRotated:
        'DCMS users are issued by M2P per tenant at onboarding; a rotation is an exchange with M2P, so a Lambda rotator cannot create the new credential. Operators rotate by runbook; the workers re-read within 5 minutes.',
    }),
    card91SdkAuth: secret('Card91SdkAuthSigning', 'card91-sdk-auth-signing', {
      description: 'sdkAuthToken keys: [{"kid": "…", "secret": "≥32 chars"}]; card-controls signs with the first, the auth webhook verifies with all',
      whyNotRotated:
        'Rotated by the two-key overlap the document supports (add a kid first, drop the old one after the token lifetime), in step with the app that mints tokens; a single-value rotator would break live logins.',
    }),
    // One HMAC key per courier integration, generated here in the shape the webhook reads; handed to the courier out of band.
    couriers: settings.couriers.map((c) =>
      secret(`CourierSecret-${c.courier}`, `couriers/${c.courier}`, {
        description: `Keys of courier integration ${c.courier} (HMAC keys, or tokens for a token integration): {"current": "…", "previous": "…"}`,
        whyNotRotated: 'The courier must receive each new key out of band before it signs with it; rotation is the current/previous overlap of the runbook, not something AWS can complete alone.',
        generateSecretString: generated,
      }),
    ),
  };
}
