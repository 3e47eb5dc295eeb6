// Provisions one device by claim against iotpt serve with the AWS IoT Device
// SDK for JavaScript v2 (aws-iot-device-sdk-v2), the way firmware does it
// against AWS IoT:
//
//   1. connect with the claim certificate;
//   2. CreateKeysAndCertificate ("keys") or CreateCertificateFromCsr ("csr");
//   3. RegisterThing without parameters (the template needs SerialNumber:
//      rejected), then with them (accepted);
//   4. reconnect with the new certificate as the thing, publish and receive
//      on devices/THING/..., and be refused on devices/admin/...
//
// Each step prints one JSON line; the process exits 0 when every step went
// as expected.
//
// usage: node provision.js INFO_JSON TEMPLATE SERIAL keys|csr [CSR_PEM_FILE KEY_PEM_FILE]
//   INFO_JSON is the line iotpt serve prints, saved to a file.
'use strict';
const fs = require('fs');
const { mqtt, iot, iotidentity } = require('aws-iot-device-sdk-v2');

const [infoFile, templateName, serial, mode, csrFile, csrKeyFile] = process.argv.slice(2);
const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
const [host, port] = info.mqtt.split(':');
const ca = fs.readFileSync(info.rootCA, 'utf8');
const QOS1 = mqtt.QoS.AtLeastOnce;

function step(name, fields) {
  console.log(JSON.stringify(Object.assign({ step: name }, fields)));
}

async function connect(certPem, keyPem, clientId) {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(certPem, keyPem)
    .with_certificate_authority(ca)
    .with_clean_session(true)
    .with_client_id(clientId)
    .with_endpoint(host)
    .with_port(Number(port))
    .build();
  const conn = new mqtt.MqttClient().new_connection(config);
  await conn.connect();
  return conn;
}

// call subscribes to an operation's accepted and rejected topics, publishes
// the request and resolves with the first answer.
function call(subscribeAccepted, subscribeRejected, publish) {
  return new Promise(async (resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 15 s')), 15000);
    const done = (outcome) => (error, response) => {
      clearTimeout(timer);
      if (error) reject(error); else resolve({ outcome, response });
    };
    try {
      await subscribeAccepted(done('accepted'));
      await subscribeRejected(done('rejected'));
      await publish();
    } catch (e) {
      clearTimeout(timer);
      reject(e);
    }
  });
}

async function main() {
  const claim = await connect(fs.readFileSync(info.claimCert, 'utf8'), fs.readFileSync(info.claimKey, 'utf8'), 'sdk-claim-' + serial);
  step('claim-connect', { outcome: 'connected' });
  const identity = new iotidentity.IotIdentityClient(claim);

  let created, keyPem;
  if (mode === 'csr') {
    const csr = fs.readFileSync(csrFile, 'utf8');
    keyPem = fs.readFileSync(csrKeyFile, 'utf8');
    created = await call(
      (cb) => identity.subscribeToCreateCertificateFromCsrAccepted({}, QOS1, cb),
      (cb) => identity.subscribeToCreateCertificateFromCsrRejected({}, QOS1, cb),
      () => identity.publishCreateCertificateFromCsr({ certificateSigningRequest: csr }, QOS1));
  } else {
    created = await call(
      (cb) => identity.subscribeToCreateKeysAndCertificateAccepted({}, QOS1, cb),
      (cb) => identity.subscribeToCreateKeysAndCertificateRejected({}, QOS1, cb),
      () => identity.publishCreateKeysAndCertificate({}, QOS1));
    keyPem = created.response && created.response.privateKey;
  }
  step('create', { outcome: created.outcome, certificateId: created.response.certificateId });
  if (created.outcome !== 'accepted') throw new Error('certificate not created');

  const register = (parameters) => call(
    (cb) => identity.subscribeToRegisterThingAccepted({ templateName }, QOS1, cb),
    (cb) => identity.subscribeToRegisterThingRejected({ templateName }, QOS1, cb),
    () => identity.publishRegisterThing({ templateName, certificateOwnershipToken: created.response.certificateOwnershipToken, parameters }, QOS1));
  const missing = await register({});
  step('register-missing-parameters', { outcome: missing.outcome, response: missing.response });
  const registered = await register({ SerialNumber: serial });
  step('register', { outcome: registered.outcome, response: registered.response });
  await claim.disconnect();
  if (registered.outcome !== 'accepted') throw new Error('RegisterThing rejected');

  const thing = registered.response.thingName;
  const device = await connect(created.response.certificatePem, keyPem, thing);
  step('device-connect', { outcome: 'connected', thing });
  const received = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('own message not received within 15 s')), 15000);
    device.subscribe(`devices/${thing}/#`, QOS1, (topic, payload) => {
      clearTimeout(timer);
      resolve({ topic, payload: Buffer.from(payload).toString() });
    }).catch(reject);
  });
  // Give the SUBACK a moment by awaiting a second subscription's answer.
  let denied;
  try {
    const sub = await device.subscribe('devices/admin/#', QOS1);
    denied = sub.error_code !== 0 || sub.qos === 128;
  } catch (e) {
    denied = true;
  }
  step('subscribe-forbidden', { outcome: denied ? 'refused' : 'allowed' });
  await device.publish(`devices/${thing}/hello`, 'hi', QOS1);
  const msg = await received;
  step('publish-allowed', { outcome: 'received', topic: msg.topic, payload: msg.payload });
  // A forbidden publish at QoS 1 over MQTT 3.1.1 ends the connection.
  const interrupted = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10000);
    device.on('interrupt', () => { clearTimeout(timer); resolve(true); });
    device.on('disconnect', () => { clearTimeout(timer); resolve(true); });
  });
  device.publish('devices/admin/x', 'no', QOS1).catch(() => {});
  step('publish-forbidden', { outcome: (await interrupted) ? 'refused' : 'allowed' });
  await device.disconnect().catch(() => {});
}

main().then(() => process.exit(0), (e) => {
  step('error', { message: String(e && e.message || e) });
  process.exit(1);
});
