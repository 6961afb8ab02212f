'use strict';
// Node.js client for the Pledgebook v1 gRPC API.
//
//   const { Client } = require('pledgebook');
//   const client = new Client({ ingestAddr: '127.0.0.1:50051', reportAddr: '127.0.0.1:50052' });
//   for await (const initiative of client.initiatives({ filter: 'has_funding = true' })) console.log(initiative.text);
//
// Messages are plain objects with the proto field names (snake_case, see
// docs/api/), 64-bit integers as decimal strings and enums as names. Failures are subclasses of
// PledgebookError.
const { Client, documentSource } = require('./client');
const errors = require('./errors');
const money = require('./money');
const { api } = require('./proto');

module.exports = { Client, documentSource, ...errors, ...money, api };
