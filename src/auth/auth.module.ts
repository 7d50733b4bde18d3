import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { registerProblemTypes } from '../http/problem-details.js';
import { API_KEY_PROBLEMS } from './api-key.errors.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { MeController } from './me.controller.js';

@Module({
  controllers: [ApiKeysController, MeController],
  providers: [ApiKeysService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeysService],
})
export class AuthModule implements OnModuleInit {
  onModuleInit(): void {
    registerProblemTypes(API_KEY_PROBLEMS);
  }
}
