import { Module } from '@nestjs/common';
import { EventsFeedController } from './events-feed.controller.js';

@Module({ controllers: [EventsFeedController] })
export class EventsFeedModule {}
