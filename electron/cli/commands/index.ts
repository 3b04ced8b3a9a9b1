import type { CommandRegistrar } from '../context';
import { registerApps } from './apps';
import { registerClusters } from './clusters';
import { registerDiff } from './diff';
import { registerDriftReport } from './drift-report';
import { registerGenerate } from './generate';
import { registerHealth } from './health';
import { registerHistory } from './history';
import { registerNotify } from './notify';
import { registerApprove } from './approve';
import { registerPromote } from './promote';
import { registerPromotions } from './promotions';
import { registerRbac } from './rbac';
import { registerSandbox } from './sandbox';
import { registerRefresh } from './refresh';
import { registerRender } from './render';
import { registerServe } from './serve';
import { registerStatus } from './status';
import { registerSync } from './sync';
import { registerValidate } from './validate';

/** Every CLI command, in help order. Add a command: write commands/<name>.ts exporting a registrar, list it here. */
export const COMMANDS: readonly CommandRegistrar[] = [registerApps, registerGenerate, registerRender, registerStatus, registerDiff, registerValidate, registerRefresh, registerHistory, registerDriftReport, registerPromote, registerApprove, registerPromotions, registerNotify, registerHealth, registerServe, registerClusters, registerSync, registerRbac, registerSandbox];
